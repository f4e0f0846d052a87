"""Password rules for a government system (等保 level 3 practice: length and mixed classes)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())


class CharacterClassValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        present = sum(any(test(c) for c in password) for test in CLASSES)
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_uniform")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(count)d kind of character "
            "(lower-case, capitals, digits, others).",
            "Your password must mix at least %(count)d kinds of characters "
            "(lower-case, capitals, digits, others).",
            self.min_classes,
        ) % {"count": self.min_classes}


def describe() -> str:
    return _("At least 10 characters, mixing three of: lower-case, capitals, digits, others.")
