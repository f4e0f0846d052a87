"""The only code that writes the register: register, update, move, move out, death, merge.

Each write runs in one transaction, bumps the record's `version` (a stale version is an
`EditConflict`), appends a `Change` row (the record's history, shown on its page) and an audit
entry. Personal values never go into `Change` or audit details in full: they are masked there.
"""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core import ids
from wangge.core.errors import EditConflict
from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.people import codes
from wangge.people.categories import details_checked
from wangge.people.models import Change, Person, PersonCategory, PersonStatus
from wangge.people.names import name_keys
from wangge.regions.models import Level, Region

# Fields a caller may set on a person; the rest are derived or moved by their own service.
PERSON_FIELDS = (
    "name",
    "former_names",
    "sex",
    "birth_date",
    "ethnicity",
    "native_place_code",
    "marital_status",
    "political_status",
    "education",
    "religion",
    "occupation",
    "mobile",
    "registered_region_code",
    "registered_address",
    "current_address",
    "relation_to_head",
)
MASKED = {
    "id_number": mask_identity_number,
    "mobile": mask_mobile,
    "registered_address": mask_address,
    "current_address": mask_address,
}


def grid_check(region_code: str) -> None:
    if not Region.objects.filter(code=region_code, level=Level.GRID).exists():
        raise ValidationError({"region_code": _("Choose an existing grid.")})


DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{4,31}$")


def identity_parse(value: str) -> ids.IdentityNumber:
    try:
        return ids.parse_identity_number(value)
    except ids.InvalidIdentifier as error:
        raise ValidationError({"id_number": identity_message(error)}) from None


def identity_message(error: ids.InvalidIdentifier) -> str:
    messages = {
        "length": _("An identity number has 18 characters."),
        "characters": _("An identity number has only digits, with X allowed as the last one."),
        "province": _("The first two digits are not a province code."),
        "birth_date": _("The birth date in the identity number is not possible."),
        "check_character": _("The last character does not match: a digit is probably mistyped."),
    }
    return messages.get(error.reason, str(error))


def shown(field: str, value: Any) -> Any:
    """A value as the history shows it: personal data masked, dates as text."""
    if field in MASKED:
        return MASKED[field](str(value or ""))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def change_record(
    *, actor: Any, record: Model, action: str, changes: Mapping[str, Any], region_code: str
) -> None:
    Change.objects.create(
        record_type=str(record._meta.model_name),
        record_id=record.pk,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        changes=dict(changes),
        region_code=region_code,
    )


def person_register(
    *,
    actor: Any,
    id_number: str,
    region_code: str,
    values: Mapping[str, Any],
    categories: Mapping[str, Mapping[str, Any]] | None = None,
    id_type: str = codes.IdType.RESIDENT_ID,
    request: HttpRequest | None = None,
) -> Person:
    """A new base record. By a resident identity number (111), birth date and sex come from
    the number when not given and must agree with it when given; by another document (a
    foreign national's passport…) they must be given."""
    person = Person(id_type=id_type, region_code=region_code)
    person.id_number = document_number_checked(id_type, id_number)
    grid_check(region_code)
    checked = {kind: details_checked(kind, details) for kind, details in (categories or {}).items()}
    if id_type == codes.IdType.RESIDENT_ID:
        identity = ids.parse_identity_number(person.id_number)
        person_values_apply(person, {**identity_defaults(identity), **values})
        identity_agreement_check(person, identity)
    else:
        person_values_apply(person, values)
    person.full_clean(validate_unique=False)
    with transaction.atomic():
        if Person.objects.filter(id_number=person.id_number).exists():
            raise ValidationError({"id_number": _("This identity number is registered already.")})
        person.save()
        for kind, details in checked.items():
            PersonCategory.objects.create(person=person, kind=kind, details=details)
        changes = {field: shown(field, getattr(person, field)) for field in ("id_number", "name")}
        change_record(
            actor=actor,
            record=person,
            action="registered",
            changes=changes,
            region_code=region_code,
        )
        record(
            actor=actor,
            action="people.person_registered",
            target=person,
            request=request,
            region_code=region_code,
        )
    return person


def document_number_checked(id_type: str, number: str) -> str:
    """The number as stored: a GB 11643 number for document 111 (a 15-digit one converted),
    otherwise the number as printed, upper case, letters, digits and hyphens."""
    if id_type not in codes.IdType.values:
        raise ValidationError({"id_type": _("Unknown kind of document.")})
    number = number.strip().upper()
    if id_type == codes.IdType.RESIDENT_ID:
        return identity_parse(number).number
    if not DOCUMENT_NUMBER.match(number):
        raise ValidationError(
            {"id_number": _("A document number has 5 to 32 letters, digits or hyphens.")}
        )
    return number


def identity_defaults(identity: ids.IdentityNumber) -> dict[str, Any]:
    return {"birth_date": identity.birth_date, "sex": "1" if identity.sex == "M" else "2"}


def identity_agreement_check(person: Person, identity: ids.IdentityNumber) -> None:
    errors = {}
    if person.birth_date != identity.birth_date:
        errors["birth_date"] = _("The birth date differs from the one in the identity number.")
    if person.sex in {"1", "2"} and person.sex != identity_defaults(identity)["sex"]:
        errors["sex"] = _("The sex differs from the one in the identity number.")
    if errors:
        raise ValidationError(errors)


def person_values_apply(person: Person, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the allowed fields; returns {field: (old, new)} for those that changed."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    changed = {}
    for field, value in values.items():
        old = getattr(person, field)
        if old != value:
            changed[field] = (old, value)
            setattr(person, field, value)
    person.name_pinyin, person.name_initials = name_keys(person.name)
    return changed


def locked(person: Person, version: int | None) -> Person:
    """The row locked for writing; a version other than the one the caller read is a
    conflict (someone saved in between)."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and current.version != version:
        raise EditConflict(
            _("Someone else changed this person meanwhile. Please reload and redo your change.")
        )
    return current


def saved(actor: Any, person: Person, action: str, changes: dict[str, Any], request: Any) -> Person:
    person.version = F("version") + 1  # type: ignore[assignment]
    person.save()
    person.refresh_from_db()
    change_record(
        actor=actor, record=person, action=action, changes=changes, region_code=person.region_code
    )
    record(
        actor=actor,
        action=f"people.person_{action}",
        target=person,
        request=request,
        details={"fields": sorted(changes)},
        region_code=person.region_code,
    )
    return person


def person_update(
    *,
    actor: Any,
    person: Person,
    values: Mapping[str, Any],
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    with transaction.atomic():
        current = locked(person, version)
        changed = person_values_apply(current, values)
        if current.id_type == codes.IdType.RESIDENT_ID:
            identity_agreement_check(current, ids.parse_identity_number(current.id_number))
        current.full_clean(validate_unique=False)
        if not changed:
            return current
        changes = {
            field: [shown(field, old), shown(field, new)] for field, (old, new) in changed.items()
        }
        return saved(actor, current, "updated", changes, request)


def person_move(
    *,
    actor: Any,
    person: Person,
    region_code: str,
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    """To another grid, keeping the history (the old grid stays in the change)."""
    grid_check(region_code)
    with transaction.atomic():
        current = locked(person, version)
        if current.region_code == region_code:
            raise ValidationError({"region_code": _("The person is in this grid already.")})
        changes = {"region_code": [current.region_code, region_code]}
        current.region_code = region_code
        return saved(actor, current, "moved", changes, request)


def person_status_set(
    *,
    actor: Any,
    person: Person,
    status: str,
    on: datetime.date,
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    """Moved out of the district or deceased: the record stays, with its status and date."""
    if status not in {PersonStatus.MOVED_OUT, PersonStatus.DECEASED}:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        current = locked(person, version)
        if current.status != PersonStatus.ACTIVE:
            raise EditConflict(_("This person is no longer active here."))
        changes = {"status": [current.status, status], "on": on.isoformat()}
        current.status = status
        current.categories.filter(ends_on__isnull=True).update(ends_on=on)
        action = "moved_out" if status == PersonStatus.MOVED_OUT else "deceased"
        return saved(actor, current, action, changes, request)


def person_merge(
    *,
    actor: Any,
    survivor: Person,
    duplicate: Person,
    request: HttpRequest | None = None,
) -> Person:
    """Two records of one person: the survivor keeps its data and takes the duplicate's
    categories; the duplicate stays (status merged, pointing to the survivor) with its
    history, so nothing is lost and both histories stay readable."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    with transaction.atomic():
        kept = locked(survivor, None)
        gone = locked(duplicate, None)
        if gone.status == PersonStatus.MERGED or kept.status == PersonStatus.MERGED:
            raise EditConflict(_("One of these records has been merged already."))
        current_kinds = set(
            kept.categories.filter(ends_on__isnull=True).values_list("kind", flat=True)
        )
        gone.categories.exclude(kind__in=current_kinds).update(person=kept)
        gone.categories.filter(ends_on__isnull=True).update(ends_on=timezone.localdate())
        gone.status = PersonStatus.MERGED
        gone.merged_into = kept
        saved(actor, gone, "merged", {"into": kept.pk}, request)
        return saved(actor, kept, "merged_in", {"from": gone.pk}, request)


def persons_export_record(
    *,
    actor: Any,
    count: int,
    full: bool,
    filters: Mapping[str, Any],
    purpose: str = "",
    purpose_text: str = "",
    request: HttpRequest | None = None,
) -> None:
    """An export of a list of people, in the audit log: how many rows, with which filters,
    masked or in full (in full only with a purpose, checked here)."""
    from wangge.privacy.services import purpose_checked  # privacy depends on people's kinds

    text = purpose_checked(purpose, purpose_text) if full else ""
    record(
        actor=actor,
        action="people.export",
        purpose=text,
        details={
            "rows": count,
            "full": full,
            "purpose": purpose if full else "",
            "filters": dict(filters),
        },
        request=request,
    )
