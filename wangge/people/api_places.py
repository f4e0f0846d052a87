"""Houses, households and organisations for integrations and the pages' scripts: register and
update, through the same gate and services as the pages (403 without the capability, 404 out
of reach, 409 over a stale version, 422 for bad input); personal data masked."""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from wangge.core.api import ApiError, ErrorOut
from wangge.core.masking import mask_address, mask_mobile
from wangge.core.routes import access
from wangge.core.scope import prefix_q, user_scope
from wangge.people import access as gate
from wangge.people import selectors, services_organisations, services_places
from wangge.people.api import invalid, written
from wangge.people.forms import UNREACHABLE
from wangge.people.models import Household, Organisation, Person
from wangge.people.views_organisations import ADD_ORGANISATION, CHANGE_ORGANISATION
from wangge.people.views_places import ADD_HOUSE, ADD_HOUSEHOLD, CHANGE_HOUSE, CHANGE_HOUSEHOLD

router = Router(tags=["places"], auth=django_auth)
MOBILE = r"^(1\d{10})?$"


class HouseOut(Schema):
    id: int
    address: str
    region_code: str
    lon: float | None
    lat: float | None
    building_use: str
    owner_id: int | None
    owner_name: str
    rented: bool
    rental_use: str
    hazard: str
    management_class: str
    version: int


class HouseValuesIn(Schema):
    address: str | None = None
    region_code: str | None = None
    lon: float | None = None
    lat: float | None = None
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    building_use: str | None = None
    owner_id_number: str | None = Field(None, description="empty for no registered owner")
    owner_name: str | None = None
    rented: bool | None = None
    rental_use: str | None = None
    hazard: str | None = None
    management_class: str | None = None


class HouseRegisterIn(HouseValuesIn):
    address: str
    region_code: str = ""
    building_use: str


class HouseUpdateIn(HouseValuesIn):
    version: int


class HouseholdOut(Schema):
    id: int
    number: str
    address_masked: str
    region_code: str
    version: int

    @staticmethod
    def resolve_address_masked(household: Household) -> str:
        return mask_address(household.address)


class HouseholdRegisterIn(Schema):
    number: str = ""
    address: str
    region_code: str


class HouseholdUpdateIn(Schema):
    number: str | None = None
    address: str | None = None
    region_code: str | None = None
    version: int


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    legal_representative: str
    representative_mobile_masked: str
    address: str
    region_code: str
    employees: int | None
    key_unit: bool
    attention: str
    version: int

    @staticmethod
    def resolve_representative_mobile_masked(organisation: Organisation) -> str:
        return mask_mobile(organisation.representative_mobile)


class OrganisationValuesIn(Schema):
    name: str | None = None
    kind: str | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    representative_mobile: str | None = Field(None, pattern=MOBILE)
    address: str | None = None
    region_code: str | None = None
    employees: int | None = Field(None, ge=0)
    key_unit: bool | None = None
    attention: str | None = None


class OrganisationRegisterIn(OrganisationValuesIn):
    name: str
    kind: str
    address: str
    region_code: str


class OrganisationUpdateIn(OrganisationValuesIn):
    version: int


def unreachable() -> ApiError:
    return ApiError(422, "invalid", str(UNREACHABLE), {"region_code": str(UNREACHABLE)})


def reach_check(request: HttpRequest, values: dict[str, Any]) -> None:
    """The grid given, or the grid of the coordinates when none is, must be within reach."""
    code = values.get("region_code") or ""
    if not code and values.get("lon") is not None and values.get("lat") is not None:
        try:
            code = services_places.point_grid(values["lon"], values["lat"], values["crs"])[2]
        except ValidationError as error:
            raise invalid(error) from None
    if code and not user_scope(request.user).covers(code):
        raise unreachable()


def no_nulls(values: dict[str, Any]) -> None:
    if any(value is None for name, value in values.items() if name not in {"lon", "lat"}):
        raise ApiError(422, "invalid", _("A field may be left out but not set to null."))


def owner_values(request: HttpRequest, values: dict[str, Any]) -> dict[str, Any]:
    """`owner_id_number` → `owner`: a person within reach, or none for an empty number."""
    if "owner_id_number" not in values:
        return values
    number = values.pop("owner_id_number") or ""
    owner: Person | None = None
    if number:
        owner = selectors.person_by_id_number(gate.persons_visible_to(request.user), number)
        if owner is None:
            message = _("No such person within your reach.")
            raise ApiError(422, "invalid", message, {"owner_id_number": message})
    return {**values, "owner": owner}


class PlaceFilterIn(Schema):
    region: str = Field("", pattern=r"^(\d{6}|\d{9}|\d{12}|\d{15})?$")


@router.get("/houses", response={200: list[HouseOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW_HOUSE, note="houses within one's reach")
@paginate(LimitOffsetPagination)
def house_list(request: HttpRequest, filters: Query[PlaceFilterIn]) -> Any:
    houses = gate.houses_visible_to(request.user)
    if filters.region:
        houses = houses.filter(prefix_q("region_code", filters.region))
    return houses.order_by("region_code", "address", "id")


@router.get("/households", response={200: list[HouseholdOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW_HOUSEHOLD, note="households within one's reach")
@paginate(LimitOffsetPagination)
def household_list(request: HttpRequest, filters: Query[PlaceFilterIn]) -> Any:
    households = gate.households_visible_to(request.user)
    if filters.region:
        households = households.filter(prefix_q("region_code", filters.region))
    return households.order_by("region_code", "number", "id")


@router.get("/organisations", response={200: list[OrganisationOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW_ORGANISATION, note="organisations within reach")
@paginate(LimitOffsetPagination)
def organisation_list(request: HttpRequest, filters: Query[PlaceFilterIn]) -> Any:
    organisations = gate.organisations_visible_to(request.user)
    if filters.region:
        organisations = organisations.filter(prefix_q("region_code", filters.region))
    return organisations.order_by("region_code", "name", "id")


@router.get("/houses/{house_id}", response={200: HouseOut, 403: ErrorOut, 404: ErrorOut})
@access("permission", permission=gate.VIEW_HOUSE, scoped=True, note="one house")
def house_detail(request: HttpRequest, house_id: int) -> Any:
    return gate.house_get_for(request.user, house_id, request=request)


@router.get(
    "/households/{household_id}", response={200: HouseholdOut, 403: ErrorOut, 404: ErrorOut}
)
@access("permission", permission=gate.VIEW_HOUSEHOLD, scoped=True, note="one household")
def household_detail(request: HttpRequest, household_id: int) -> Any:
    return gate.household_get_for(request.user, household_id, request=request)


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 403: ErrorOut, 404: ErrorOut},
)
@access("permission", permission=gate.VIEW_ORGANISATION, scoped=True, note="one organisation")
def organisation_detail(request: HttpRequest, organisation_id: int) -> Any:
    return gate.organisation_get_for(request.user, organisation_id, request=request)


@router.post("/houses", response={201: HouseOut, 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=ADD_HOUSE, note="register a house")
def house_register(request: HttpRequest, payload: HouseRegisterIn) -> Any:
    gate.require(request.user, ADD_HOUSE)
    values = payload.model_dump(exclude_none=True)
    reach_check(request, values)
    crs = values.pop("crs")
    values = owner_values(request, values)
    house = written(
        lambda: services_places.house_register(
            actor=request.user, values=values, crs=crs, request=request
        )
    )
    return Status(201, house)


@router.patch(
    "/houses/{house_id}",
    response={200: HouseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
@access("permission", permission=CHANGE_HOUSE, scoped=True, note="update a house")
def house_update(request: HttpRequest, house_id: int, payload: HouseUpdateIn) -> Any:
    house = gate.house_get_for(request.user, house_id, action=CHANGE_HOUSE, request=request)
    values = payload.model_dump(exclude_unset=True, exclude={"version", "crs"})
    no_nulls(values)
    reach_check(request, {**values, "crs": payload.crs})
    values = owner_values(request, values)
    return written(
        lambda: services_places.house_update(
            actor=request.user,
            house=house,
            values=values,
            version=payload.version,
            crs=payload.crs,
            request=request,
        )
    )


@router.post("/households", response={201: HouseholdOut, 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=ADD_HOUSEHOLD, note="register a household")
def household_register(request: HttpRequest, payload: HouseholdRegisterIn) -> Any:
    gate.require(request.user, ADD_HOUSEHOLD)
    values = payload.model_dump()
    reach_check(request, values)
    household = written(
        lambda: services_places.household_register(
            actor=request.user, values=values, request=request
        )
    )
    return Status(201, household)


@router.patch(
    "/households/{household_id}",
    response={200: HouseholdOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
@access("permission", permission=CHANGE_HOUSEHOLD, scoped=True, note="update a household")
def household_update(request: HttpRequest, household_id: int, payload: HouseholdUpdateIn) -> Any:
    household = gate.household_get_for(
        request.user, household_id, action=CHANGE_HOUSEHOLD, request=request
    )
    values = payload.model_dump(exclude_unset=True, exclude={"version"})
    no_nulls(values)
    reach_check(request, values)
    return written(
        lambda: services_places.household_update(
            actor=request.user,
            household=household,
            values=values,
            version=payload.version,
            request=request,
        )
    )


@router.post("/organisations", response={201: OrganisationOut, 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=ADD_ORGANISATION, note="register an organisation")
def organisation_register(request: HttpRequest, payload: OrganisationRegisterIn) -> Any:
    gate.require(request.user, ADD_ORGANISATION)
    values = payload.model_dump(exclude_none=True)
    reach_check(request, values)
    organisation = written(
        lambda: services_organisations.organisation_register(
            actor=request.user, values=values, request=request
        )
    )
    return Status(201, organisation)


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
@access("permission", permission=CHANGE_ORGANISATION, scoped=True, note="update an organisation")
def organisation_update(
    request: HttpRequest, organisation_id: int, payload: OrganisationUpdateIn
) -> Any:
    organisation = gate.organisation_get_for(
        request.user, organisation_id, action=CHANGE_ORGANISATION, request=request
    )
    values = payload.model_dump(exclude_unset=True, exclude={"version"})
    no_nulls(values)
    reach_check(request, values)
    return written(
        lambda: services_organisations.organisation_update(
            actor=request.user,
            organisation=organisation,
            values=values,
            version=payload.version,
            request=request,
        )
    )
