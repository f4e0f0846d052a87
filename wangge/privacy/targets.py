"""The kinds of record whose personal data can be shown in full, for a stated purpose.

Each kind says how to reach a record through the scope gate and which of its fields are
personal data, with the mask each is shown under by default. An app registers its kinds in
its AppConfig.ready(); see docs/privacy.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

Mask = Callable[[str | None], str]


class UnknownKind(LookupError):
    """No kind of record is registered under this name."""


@dataclass(frozen=True)
class TargetKind:
    name: str  # in URLs: /privacy/unmask/<name>/<id>/
    label: str | Promise
    model: type[Model]
    # (user, pk) -> the record, or Http404 when it does not exist or is out of the user's
    # scope (the two must look the same), or when pk is not a valid key.
    get_for: Callable[[Any, object], Model]
    # field name -> mask; only these fields are ever shown in full.
    fields: dict[str, Mask]
    # The region the record belongs to, for the audit entry ("" when it has none).
    region_of: Callable[[Any], str]

    @property
    def target_type(self) -> str:
        """As in the audit log: the model's label in lower case, like accounts.user."""
        return self.model._meta.label_lower

    def field_label(self, field: str) -> str:
        return str(getattr(self.model._meta.get_field(field), "verbose_name", field))


KINDS: dict[str, TargetKind] = {}


def register(kind: TargetKind) -> None:
    """One kind per name and per model, so that a grant or an audit entry names one kind."""
    for known in KINDS.values():
        if known == kind:
            return
        if known.name == kind.name or known.model is kind.model:
            raise ValueError(f"{kind.name} ({kind.target_type}) is registered already")
    for field in kind.fields:
        kind.model._meta.get_field(field)  # a misspelt field fails at start-up, not on a page
    KINDS[kind.name] = kind


def kind_named(name: str) -> TargetKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def kind_of(record: Model) -> TargetKind:
    for kind in KINDS.values():
        if isinstance(record, kind.model):
            return kind
    raise UnknownKind(type(record).__name__)
