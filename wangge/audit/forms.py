"""The log page's filter: parses the query string into an EntryFilter, or says what is wrong."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from wangge.audit.selectors import EntryFilter

action_validator = RegexValidator(
    re.compile(r"^[a-z_]+(\.[a-z_]*)*$"),
    _("Enter an action such as auth.login, or its beginning such as auth."),
)


class EntryFilterForm(forms.Form):
    actor = forms.CharField(label=_("User name"), max_length=150, required=False)
    action = forms.CharField(
        label=_("Action"), max_length=64, required=False, validators=[action_validator]
    )
    target_type = forms.CharField(label=_("Target type"), max_length=64, required=False)
    target_id = forms.CharField(label=_("Target id"), max_length=64, required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def criteria(self) -> EntryFilter:
        return EntryFilter(**self.cleaned_data)
