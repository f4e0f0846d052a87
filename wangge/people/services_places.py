"""The only code that writes houses, households and organisations, and who lives in a house or
belongs to a household.

The conventions of `services`: each write runs in one transaction, bumps the record's
`version` (a stale version is an `EditConflict`), appends a `Change` row and an audit entry;
personal values (owners' identity numbers, representatives' mobiles, household addresses) are
masked there. Linking a person to a house or household writes the person too, through
`services.locked` and `services.saved`, so the person's own history shows the move.
"""

import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core import coords
from wangge.core.errors import EditConflict
from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.people import codes, services
from wangge.people.models import House, Household, Organisation, Person, PersonStatus
from wangge.regions.locate import grid_for_point

R = TypeVar("R", House, Household, Organisation)

HOUSE_FIELDS = (
    "address",
    "region_code",
    "lon",
    "lat",
    "building_use",
    "owner",
    "owner_name",
    "rented",
    "rental_use",
    "hazard",
    "management_class",
)
HOUSEHOLD_FIELDS = ("number", "address", "region_code")
MASKED: dict[str, dict[str, Callable[[str], str]]] = {
    "house": {},
    "household": {"address": mask_address},
    "organisation": {"representative_mobile": mask_mobile},
}
# Stored coordinates are WGS-84 (as the grid boundaries are), on a 1e-7° grid (about 1 cm).
DIGITS = 7


def person_label(person: Person | None) -> str:
    """A person as a history shows them: name and masked identity number."""
    if person is None:
        return ""
    return f"{person.name} {mask_identity_number(person.id_number)}"


def household_label(household: Household) -> str:
    """A household as a person's history shows it: its number, else its masked address."""
    return household.number or mask_address(household.address)


def shown(record_type: str, field: str, value: Any) -> Any:
    if isinstance(value, Person) or (field == "owner" and value is None):
        return person_label(value)
    masker = MASKED[record_type].get(field)
    if masker is not None:
        return masker(str(value or ""))
    return value


def values_apply(record: Model, values: Mapping[str, Any], fields: tuple[str, ...]) -> dict:
    """Set the allowed fields; returns {field: (old, new)} for those that changed."""
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    changed = {}
    for field, value in values.items():
        old = getattr(record, field)
        if old != value:
            changed[field] = (old, value)
            setattr(record, field, value)
    return changed


def changes_shown(record: Model, changed: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    kind = str(record._meta.model_name)
    return {
        field: [shown(kind, field, old), shown(kind, field, new)]
        for field, (old, new) in changed.items()
    }


def conflict_message(record: Model) -> str:
    messages = {
        "house": _(
            "Someone else changed this house meanwhile. Please reload and redo your change."
        ),
        "household": _(
            "Someone else changed this household meanwhile. Please reload and redo your change."
        ),
        "organisation": _(
            "Someone else changed this organisation meanwhile. Please reload and redo your change."
        ),
    }
    return messages[str(record._meta.model_name)]


def locked(record: R, version: int | None) -> R:
    """The row locked for writing; a version other than the one the caller read is a
    conflict."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if version is not None and current.version != version:
        raise EditConflict(conflict_message(record))
    return current  # type: ignore[return-value]


def created(actor: Any, record: R, changes: dict[str, Any], request: Any) -> R:
    record.save()
    trail(actor, record, "registered", changes, request)
    return record


def saved(actor: Any, record: R, action: str, changes: dict[str, Any], request: Any) -> R:
    record.version = F("version") + 1  # type: ignore[assignment]
    record.save()
    record.refresh_from_db()
    trail(actor, record, action, changes, request)
    return record


def trail(actor: Any, record: Model, action: str, changes: dict[str, Any], request: Any) -> None:
    region_code = str(getattr(record, "region_code", ""))
    services.change_record(
        actor=actor, record=record, action=action, changes=changes, region_code=region_code
    )
    record_type = record._meta.model_name
    record_audit(actor, record, f"people.{record_type}_{action}", changes, request)


def record_audit(actor: Any, target: Model, action: str, changes: Mapping, request: Any) -> None:
    region_code = str(getattr(target, "region_code", ""))
    details = {"fields": sorted(changes)}
    record(
        actor=actor,
        action=action,
        target=target,
        request=request,
        details=details,
        region_code=region_code,
    )


# --- Houses ----------------------------------------------------------------------------


def point_grid(lon: float, lat: float, crs: str) -> tuple[float, float, str]:
    """The point in WGS-84 and the grid it lies in; a point outside the district is refused."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise ValidationError({"lon": _("These are not possible coordinates.")})
    if crs not in coords.SUPPORTED_CRS:
        raise ValidationError({"crs": _("The coordinate system is wgs84, gcj02 or bd09.")})
    wgs_lon, wgs_lat = coords.to_wgs84(float(lon), float(lat), crs)
    grid = grid_for_point(wgs_lon, wgs_lat)
    if grid is None:
        raise ValidationError({"lon": _("The coordinates lie outside every grid of the district.")})
    return round(float(wgs_lon), DIGITS), round(float(wgs_lat), DIGITS), str(grid)


def house_values_checked(values: Mapping[str, Any], crs: str) -> dict[str, Any]:
    """The values with coordinates in WGS-84 and the grid found from them when none is given;
    a rental use only for a rented house."""
    values = dict(values)
    lon, lat = values.get("lon"), values.get("lat")
    if (lon is None) != (lat is None):
        raise ValidationError({"lat": _("Give both longitude and latitude, or neither.")})
    if lon is not None and lat is not None:
        values["lon"], values["lat"], located = point_grid(lon, lat, crs)
        values["region_code"] = values.get("region_code") or located
    if "region_code" in values:
        if not values["region_code"]:
            raise ValidationError(
                {"region_code": _("Give the grid code, or coordinates to find the grid.")}
            )
        services.grid_check(values["region_code"])
    return values


def rental_check(house: House) -> None:
    """The database refuses a rental use on a house that is not rented; say why first."""
    if house.rental_use and not house.rented:
        raise ValidationError({"rental_use": _("Only a rented house has a rental use.")})


def house_register(
    *,
    actor: Any,
    values: Mapping[str, Any],
    crs: str = "wgs84",
    request: HttpRequest | None = None,
) -> House:
    """A new house; `values` take the names of `HOUSE_FIELDS` (the owner as a `Person`)."""
    house = House()
    values_apply(house, house_values_checked(values, crs), HOUSE_FIELDS)
    rental_check(house)
    house.full_clean()
    with transaction.atomic():
        changes = {
            field: shown("house", field, getattr(house, field))
            for field in ("address", "region_code")
        }
        return created(actor, house, changes, request)


def house_update(
    *,
    actor: Any,
    house: House,
    values: Mapping[str, Any],
    version: int | None,
    crs: str = "wgs84",
    request: HttpRequest | None = None,
) -> House:
    checked = house_values_checked(values, crs)
    with transaction.atomic():
        current = locked(house, version)
        changed = values_apply(current, checked, HOUSE_FIELDS)
        rental_check(current)
        current.full_clean()
        if not changed:
            return current
        return saved(actor, current, "updated", changes_shown(current, changed), request)


def house_resident_add(
    *,
    actor: Any,
    house: House,
    person: Person,
    version: int | None,
    request: HttpRequest | None = None,
) -> House:
    """The person lives in this house from now on (moving from another house if any)."""
    with transaction.atomic():
        current = locked(house, version)
        resident = services.locked(person, None)
        active_check(resident)
        if resident.house_id == current.pk:
            raise ValidationError({"id_number": _("This person lives in this house already.")})
        before = resident.house.address if resident.house else ""
        resident.house = current
        services.saved(actor, resident, "updated", {"house": [before, current.address]}, request)
        changes = {"resident": person_label(resident)}
        return saved(actor, current, "resident_added", changes, request)


def house_resident_remove(
    *,
    actor: Any,
    house: House,
    person: Person,
    version: int | None,
    request: HttpRequest | None = None,
) -> House:
    with transaction.atomic():
        current = locked(house, version)
        resident = services.locked(person, None)
        if resident.house_id != current.pk:
            raise EditConflict(_("This person no longer lives in this house."))
        resident.house = None
        services.saved(actor, resident, "updated", {"house": [current.address, ""]}, request)
        changes = {"resident": person_label(resident)}
        return saved(actor, current, "resident_removed", changes, request)


def active_check(person: Person) -> None:
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"id_number": _("This person is no longer active here.")})


# --- Households ------------------------------------------------------------------------


def household_register(
    *, actor: Any, values: Mapping[str, Any], request: HttpRequest | None = None
) -> Household:
    household = Household()
    values_apply(household, values, HOUSEHOLD_FIELDS)
    services.grid_check(household.region_code)
    household.full_clean()
    with transaction.atomic():
        changes = {
            field: shown("household", field, getattr(household, field))
            for field in HOUSEHOLD_FIELDS
        }
        return created(actor, household, changes, request)


def household_update(
    *,
    actor: Any,
    household: Household,
    values: Mapping[str, Any],
    version: int | None,
    request: HttpRequest | None = None,
) -> Household:
    if "region_code" in values:
        services.grid_check(values["region_code"])
    with transaction.atomic():
        current = locked(household, version)
        changed = values_apply(current, values, HOUSEHOLD_FIELDS)
        current.full_clean()
        if not changed:
            return current
        return saved(actor, current, "updated", changes_shown(current, changed), request)


def relation_check(household: Household, person: Person, relation: str) -> None:
    if relation not in codes.Relation.values:
        raise ValidationError({"relation_to_head": _("Choose a relation from the list.")})
    if relation != codes.Relation.HEAD:
        return
    heads = household.members.filter(relation_to_head=codes.Relation.HEAD).exclude(pk=person.pk)
    if heads.exists():
        raise ValidationError({"relation_to_head": _("This household has a head already.")})


def household_member_add(
    *,
    actor: Any,
    household: Household,
    person: Person,
    relation: str,
    version: int | None,
    request: HttpRequest | None = None,
) -> Household:
    """The person joins the household with their relation to its head (GB/T 4761)."""
    with transaction.atomic():
        current = locked(household, version)
        member = services.locked(person, None)
        active_check(member)
        if member.household_id is not None:
            message = (
                _("This person is a member of this household already.")
                if member.household_id == current.pk
                else _("This person belongs to another household: remove them there first.")
            )
            raise ValidationError({"id_number": message})
        relation_check(current, member, relation)
        changes = {
            "household": ["", household_label(current)],
            "relation_to_head": [member.relation_to_head, relation],
        }
        member.household, member.relation_to_head = current, relation
        services.saved(actor, member, "updated", changes, request)
        member_changes = {"member": person_label(member), "relation_to_head": relation}
        return saved(actor, current, "member_added", member_changes, request)


def household_member_remove(
    *,
    actor: Any,
    household: Household,
    person: Person,
    version: int | None,
    request: HttpRequest | None = None,
) -> Household:
    with transaction.atomic():
        current = locked(household, version)
        member = services.locked(person, None)
        if member.household_id != current.pk:
            raise EditConflict(_("This person is no longer a member of this household."))
        changes = {
            "household": [household_label(current), ""],
            "relation_to_head": [member.relation_to_head, ""],
        }
        member.household, member.relation_to_head = None, ""
        services.saved(actor, member, "updated", changes, request)
        return saved(actor, current, "member_removed", {"member": person_label(member)}, request)
