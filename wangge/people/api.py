"""The register for integrations and the pages' scripts: through the same gate and services as
the pages (403 without the capability, 404 out of reach); personal data masked."""

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from wangge.core.api import ApiError, ErrorOut
from wangge.core.errors import EditConflict
from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.people import access as gate
from wangge.people import selectors, services, services_categories
from wangge.people.forms import UNREACHABLE
from wangge.people.models import Person

router = Router(tags=["people"], auth=django_auth)


class PersonFilterIn(Schema):
    text: str = ""
    region: str = ""
    category: str = ""
    status: str = ""
    age_from: int | None = None
    age_to: int | None = None
    tag: str = ""


class PersonOut(Schema):
    id: int
    id_type: str
    name: str
    sex: str
    birth_date: datetime.date
    id_number_masked: str
    mobile_masked: str
    current_address_masked: str
    region_code: str
    status: str
    categories: list[str]
    tags: list[str]
    version: int

    @staticmethod
    def resolve_id_number_masked(person: Person) -> str:
        return mask_identity_number(person.id_number)

    @staticmethod
    def resolve_mobile_masked(person: Person) -> str:
        return mask_mobile(person.mobile)

    @staticmethod
    def resolve_current_address_masked(person: Person) -> str:
        return mask_address(person.current_address)

    @staticmethod
    def resolve_categories(person: Person) -> list[str]:
        return [category.kind for category in person.categories.all()]

    @staticmethod
    def resolve_tags(person: Person) -> list[str]:
        return [tag.name for tag in person.tags.all()]


class PersonValuesIn(Schema):
    name: str | None = None
    former_names: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    ethnicity: str | None = None
    mobile: str | None = Field(None, pattern=r"^(1\d{10})?$")
    current_address: str | None = None
    registered_address: str | None = None
    occupation: str | None = None
    education: str | None = None
    marital_status: str | None = None
    political_status: str | None = None


DetailValue = str | datetime.date


class PersonRegisterIn(PersonValuesIn):
    id_type: str = "111"
    id_number: str
    region_code: str
    name: str
    categories: dict[str, dict[str, DetailValue]] = {}


class CategoryIn(Schema):
    details: dict[str, DetailValue] = {}
    starts_on: datetime.date | None = None
    version: int


class CategoryEndIn(Schema):
    on: datetime.date
    version: int


class TagsIn(Schema):
    tags: list[str]
    version: int


class PersonUpdateIn(PersonValuesIn):
    version: int


def invalid(error: ValidationError) -> ApiError:
    """A service's refusal in the API's error shape: 422 with the fields at fault."""
    fields: dict[str, str] = {}
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            fields["request" if field == NON_FIELD_ERRORS else field] = " ".join(problems)
    message = " ".join(error.messages)
    return ApiError(422, "invalid", message, fields)


def conflict(error: EditConflict) -> ApiError:
    return ApiError(409, "conflict", str(error))


def written(call: Any) -> Any:
    """Run a service; its refusal in the API's error shape (422 invalid, 409 conflict)."""
    try:
        return call()
    except ValidationError as error:
        raise invalid(error) from None
    except EditConflict as error:
        raise conflict(error) from None


def person_loaded(person_id: int) -> Person:
    return selectors.with_categories(Person.objects.filter(pk=person_id)).get()


@router.get("/people", response={200: list[PersonOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW_PERSON, note="people within one's reach")
@paginate(LimitOffsetPagination)
def person_list(request: HttpRequest, filters: Query[PersonFilterIn]) -> Any:
    criteria = selectors.PersonFilter(
        text=filters.text,
        region_code=filters.region,
        category=filters.category,
        status=filters.status,
        age_from=filters.age_from,
        age_to=filters.age_to,
        tag=filters.tag,
    )
    people = selectors.persons_search(gate.persons_visible_to(request.user), criteria)
    return selectors.with_categories(people)


@router.get("/people/{person_id}", response={200: PersonOut, 403: ErrorOut, 404: ErrorOut})
@access("permission", permission=gate.VIEW_PERSON, scoped=True, note="one person's record")
def person_detail(request: HttpRequest, person_id: int) -> Any:
    person = gate.person_get_for(request.user, person_id, request=request)
    return person_loaded(person.pk)


@router.post("/people", response={201: PersonOut, 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.ADD_PERSON, note="register a person")
def person_register(request: HttpRequest, payload: PersonRegisterIn) -> Any:
    gate.require(request.user, gate.ADD_PERSON)
    if not user_scope(request.user).covers(payload.region_code):
        raise ApiError(422, "invalid", str(UNREACHABLE), {"region_code": str(UNREACHABLE)})
    values = payload.model_dump(
        exclude_none=True, exclude={"id_type", "id_number", "region_code", "categories"}
    )
    try:
        person = services.person_register(
            actor=request.user,
            id_type=payload.id_type,
            id_number=payload.id_number,
            region_code=payload.region_code,
            values=values,
            categories=payload.categories,
            request=request,
        )
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, person_loaded(person.pk))


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="update a person")
def person_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    values = payload.model_dump(exclude_unset=True, exclude={"version"})
    if any(value is None for value in values.values()):
        raise ApiError(422, "invalid", _("A field may be left out but not set to null."))
    written(
        lambda: services.person_update(
            actor=request.user,
            person=person,
            values=values,
            version=payload.version,
            request=request,
        )
    )
    return person_loaded(person.pk)


WRITE_RESPONSES = {200: PersonOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.put("/people/{person_id}/categories/{kind}", response=WRITE_RESPONSES)
@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="a category's details")
def person_category_set(
    request: HttpRequest, person_id: int, kind: str, payload: CategoryIn
) -> Any:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    written(
        lambda: services_categories.person_category_set(
            actor=request.user,
            person=person,
            kind=kind,
            details=payload.details,
            starts_on=payload.starts_on,
            version=payload.version,
            request=request,
        )
    )
    return person_loaded(person.pk)


@router.post("/people/{person_id}/categories/{kind}/end", response=WRITE_RESPONSES)
@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="end a category")
def person_category_end(
    request: HttpRequest, person_id: int, kind: str, payload: CategoryEndIn
) -> Any:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    written(
        lambda: services_categories.person_category_end(
            actor=request.user,
            person=person,
            kind=kind,
            on=payload.on,
            version=payload.version,
            request=request,
        )
    )
    return person_loaded(person.pk)


@router.put("/people/{person_id}/tags", response=WRITE_RESPONSES)
@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="a person's tags")
def person_tags_set(request: HttpRequest, person_id: int, payload: TagsIn) -> Any:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    written(
        lambda: services_categories.person_tags_set(
            actor=request.user,
            person=person,
            tags=payload.tags,
            version=payload.version,
            request=request,
        )
    )
    return person_loaded(person.pk)
