"""Who may see and change which register records: by the grid the record is in.

Grid workers reach their grids, dispatchers their township, the district office the district;
departments reach no people (their cases come with the case engine). Out of scope is 404 (the
attempt is recorded by `core.scope`), in scope without the capability 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from wangge.core.scope import get_for, visible_to
from wangge.people.models import House, Household, Organisation, Person

VIEW_PERSON = "people.view_person"
ADD_PERSON = "people.add_person"
CHANGE_PERSON = "people.change_person"
EXPORT_PERSON = "people.export_person"
MERGE_PERSON = "people.merge_person"
VIEW_HOUSE = "people.view_house"
VIEW_HOUSEHOLD = "people.view_household"
VIEW_ORGANISATION = "people.view_organisation"


def require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def persons_visible_to(user: Any) -> QuerySet[Person]:
    require(user, VIEW_PERSON)
    return visible_to(user, Person.objects.all())


def person_get_for(
    user: Any, pk: object, *, action: str | None = None, request: HttpRequest | None = None
) -> Person:
    require(user, VIEW_PERSON)
    return get_for(user, Person.objects.all(), pk, action=action, request=request)


def houses_visible_to(user: Any) -> QuerySet[House]:
    require(user, VIEW_HOUSE)
    return visible_to(user, House.objects.all())


def house_get_for(
    user: Any, pk: object, *, action: str | None = None, request: HttpRequest | None = None
) -> House:
    require(user, VIEW_HOUSE)
    return get_for(user, House.objects.all(), pk, action=action, request=request)


def households_visible_to(user: Any) -> QuerySet[Household]:
    require(user, VIEW_HOUSEHOLD)
    return visible_to(user, Household.objects.all())


def household_get_for(
    user: Any, pk: object, *, action: str | None = None, request: HttpRequest | None = None
) -> Household:
    require(user, VIEW_HOUSEHOLD)
    return get_for(user, Household.objects.all(), pk, action=action, request=request)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    require(user, VIEW_ORGANISATION)
    return visible_to(user, Organisation.objects.all())


def organisation_get_for(
    user: Any, pk: object, *, action: str | None = None, request: HttpRequest | None = None
) -> Organisation:
    require(user, VIEW_ORGANISATION)
    return get_for(user, Organisation.objects.all(), pk, action=action, request=request)
