"""The fields of each category of person (GB/T 31000 §4.3, domain-facts §4.3), as data: what a
category record's `details` may hold, of which kind, from which code table. `details_checked`
is the one check every write of a category goes through (pages, API, demo).
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.people import codes
from wangge.people.models import CategoryKind

TEXT_MAX = 100


@dataclass(frozen=True)
class DetailField:
    name: str
    label: Any  # a lazy translation
    kind: str  # "choice", "date", "text", "region"
    choices: Callable[[], list[tuple[str, str]]] | None = None
    required: bool = False


def table(choices: type[codes.models.TextChoices]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(str(value), str(label)) for value, label in choices.choices]


CATEGORY_FIELDS: dict[str, tuple[DetailField, ...]] = {
    CategoryKind.REGISTERED: (
        DetailField(
            "residence_match",
            gettext_lazy("Living where registered"),
            "choice",
            table(codes.ResidenceMatch),
        ),
    ),
    CategoryKind.FLOATING: (
        DetailField(
            "inflow_reason",
            gettext_lazy("Reason for coming"),
            "choice",
            table(codes.InflowReason),
            required=True,
        ),
        DetailField("origin_region_code", gettext_lazy("Coming from (division code)"), "region"),
        DetailField("permit_type", gettext_lazy("Permit"), "choice", table(codes.PermitType)),
        DetailField("permit_number", gettext_lazy("Permit number"), "text"),
        DetailField("registered_on", gettext_lazy("Registered on"), "date"),
        DetailField("permit_expires_on", gettext_lazy("Permit valid until"), "date"),
        DetailField("dwelling_type", gettext_lazy("Lodging"), "choice", table(codes.DwellingType)),
    ),
    CategoryKind.LEFT_BEHIND: (
        DetailField(
            "left_behind_type",
            gettext_lazy("Left behind as"),
            "choice",
            table(codes.LeftBehindType),
            required=True,
        ),
        DetailField("health", gettext_lazy("Health"), "choice", table(codes.Health)),
        DetailField("family_member_away", gettext_lazy("Family member away"), "text"),
        DetailField(
            "away_relation", gettext_lazy("Their relation"), "choice", table(codes.Relation)
        ),
        DetailField("difficulties", gettext_lazy("Difficulties and requests"), "text"),
    ),
    CategoryKind.FOREIGN: (
        DetailField(
            "nationality",
            gettext_lazy("Nationality or region"),
            "choice",
            codes.countries,
            required=True,
        ),
        DetailField("foreign_surname", gettext_lazy("Surname in the foreign script"), "text"),
        DetailField("foreign_given_name", gettext_lazy("Given name in the foreign script"), "text"),
        DetailField("document_type", gettext_lazy("Document"), "choice", table(codes.IdType)),
        DetailField("document_number", gettext_lazy("Document number"), "text"),
        DetailField("document_valid_until", gettext_lazy("Document valid until"), "date"),
        DetailField(
            "visit_purpose", gettext_lazy("Purpose of stay"), "choice", table(codes.VisitPurpose)
        ),
        DetailField("workplace", gettext_lazy("Place of work or study"), "text"),
        DetailField("arrived_on", gettext_lazy("Arrived on"), "date"),
        DetailField("leaves_on", gettext_lazy("Expected to leave on"), "date"),
    ),
}


def details_checked(kind: str, details: Mapping[str, Any]) -> dict[str, str]:
    """The details of a category as stored: known fields only, codes from their tables, dates
    as ISO text, empty values left out. Raises ValidationError naming each bad field."""
    if kind not in CATEGORY_FIELDS:
        raise ValidationError({"kind": _("Unknown category of resident.")})
    fields = {field.name: field for field in CATEGORY_FIELDS[kind]}
    errors: dict[str, str] = {}
    for name in sorted(set(details) - set(fields)):
        errors[name] = _("This category has no such field.")
    stored: dict[str, str] = {}
    for name, field in fields.items():
        value = details.get(name)
        text = value.isoformat() if isinstance(value, datetime.date) else str(value or "").strip()
        problem = value_problem(field, text)
        if problem:
            errors[name] = problem
        elif text:
            stored[name] = text
    if errors:
        raise ValidationError(errors)
    dates_order_check(stored)
    return stored


def value_problem(field: DetailField, text: str) -> str:
    if not text:
        return _("This field is required.") if field.required else ""
    if field.kind == "choice" and field.choices and text not in dict(field.choices()):
        return _("Not a code of this field's table.")
    if field.kind == "date":
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return _("Enter a date such as 2026-03-01.")
    if field.kind == "region" and not (text.isdigit() and len(text) == 6):
        return _("A division code has 6 digits.")
    if len(text) > TEXT_MAX:
        return _("At most %(count)d characters.") % {"count": TEXT_MAX}
    return ""


def dates_order_check(stored: Mapping[str, str]) -> None:
    pairs = (("registered_on", "permit_expires_on"), ("arrived_on", "leaves_on"))
    for first, then in pairs:
        if first in stored and then in stored and stored[then] < stored[first]:
            raise ValidationError(
                {then: _("This date is before %(date)s.") % {"date": stored[first]}}
            )


def details_shown(kind: str, details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of a category's details for a page: codes by their names."""
    shown = []
    for field in CATEGORY_FIELDS.get(kind, ()):
        value = str(details.get(field.name, "") or "")
        if not value:
            continue
        if field.choices:
            value = dict(field.choices()).get(value, value)
        shown.append((str(field.label), value))
    return shown


def details_missing(kind: str, details: Mapping[str, Any]) -> list[str]:
    """Labels of the required details a category lacks (an imported category has none)."""
    return [
        str(field.label)
        for field in CATEGORY_FIELDS.get(kind, ())
        if field.required and not details.get(field.name)
    ]
