"""Reads of who holds which post, and what that lets them reach."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import Membership, User
from wangge.core.scope import DepartmentReach, Scope


def active_memberships(user: User, on: datetime.date | None = None) -> QuerySet[Membership]:
    day = on or timezone.localdate()
    return Membership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), user=user, starts_on__lte=day
    ).select_related("department")


def scope_of(user: User) -> Scope:
    """The regions a user's posts cover, and the departments' regions and categories."""
    if not user.is_authenticated or not user.is_active:
        return Scope.nothing()
    if user.is_superuser:
        return Scope.everything()
    regions, departments = set(), []
    for membership in active_memberships(user):
        if membership.region_id:
            regions.add(membership.region_id)
        elif membership.department:
            department = membership.department
            departments.append(
                DepartmentReach(department.region_id, tuple(department.category_codes))
            )
    return Scope(region_codes=frozenset(regions), departments=tuple(departments))


def roles_of(user: User) -> set[str]:
    return set(active_memberships(user).values_list("role", flat=True))
