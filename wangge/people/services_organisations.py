"""The only code that writes organisations (企业, 个体, 社会组织): the unified social credit
code checked (GB 32100, with the GB 11714 organisation code inside it) and unique, the
representative's mobile masked in the history. The conventions of `services_places`."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wangge.core import ids
from wangge.people import services
from wangge.people.models import Organisation
from wangge.people.services_places import (
    changes_shown,
    created,
    locked,
    saved,
    shown,
    values_apply,
)

ORGANISATION_FIELDS = (
    "credit_code",
    "name",
    "kind",
    "legal_representative",
    "representative_mobile",
    "address",
    "region_code",
    "employees",
    "key_unit",
    "attention",
)


def credit_code_parsed(value: str) -> str:
    """The code in its canonical form (no spaces, capitals), or a clear refusal."""
    try:
        return ids.parse_credit_code(value).code
    except ids.InvalidIdentifier as error:
        raise ValidationError({"credit_code": credit_code_message(error)}) from None


def credit_code_message(error: ids.InvalidIdentifier) -> str:
    messages = {
        "length": _("A unified social credit code has 18 characters."),
        "characters": _(
            "A unified social credit code has digits and capital letters, without I, O, S, V or Z."
        ),
        "area_code": _("Characters 3 to 8 of the code (the area code) are digits."),
        "check_character": _(
            "The last character does not match: a character is probably mistyped."
        ),
        "organisation_code": _(
            "The organisation code inside it (characters 9 to 17) does not check out: a "
            "character is probably mistyped."
        ),
    }
    return messages.get(error.reason, str(error))


def organisation_values_checked(values: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if values.get("credit_code"):
        values["credit_code"] = credit_code_parsed(values["credit_code"])
    if "region_code" in values:
        services.grid_check(values["region_code"])
    return values


def credit_code_unique_check(organisation: Organisation) -> None:
    if not organisation.credit_code:
        return
    others = Organisation.objects.filter(credit_code=organisation.credit_code)
    if others.exclude(pk=organisation.pk).exists():
        raise ValidationError({"credit_code": credit_code_taken()})


def credit_code_taken() -> str:
    return _("An organisation with this credit code is registered already.")


def organisation_register(
    *, actor: Any, values: Mapping[str, Any], request: HttpRequest | None = None
) -> Organisation:
    organisation = Organisation()
    values_apply(organisation, organisation_values_checked(values), ORGANISATION_FIELDS)
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        credit_code_unique_check(organisation)
        changes = {
            field: shown("organisation", field, getattr(organisation, field))
            for field in ("name", "credit_code", "region_code")
        }
        return unique_saved(lambda: created(actor, organisation, changes, request))


def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    version: int | None,
    request: HttpRequest | None = None,
) -> Organisation:
    checked = organisation_values_checked(values)
    with transaction.atomic():
        current = locked(organisation, version)
        changed = values_apply(current, checked, ORGANISATION_FIELDS)
        current.full_clean(validate_unique=False, validate_constraints=False)
        credit_code_unique_check(current)
        if not changed:
            return current
        changes = changes_shown(current, changed)
        return unique_saved(lambda: saved(actor, current, "updated", changes, request))


def unique_saved(write: Callable[[], Organisation]) -> Organisation:
    """Two people registering one code at the same moment: the database refuses the second,
    which gets the same message as if it had come a moment later."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        raise ValidationError({"credit_code": credit_code_taken()}) from None
