"""Reads of who holds which post, and what that lets them reach."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import Membership, User
from wangge.core.scope import DepartmentReach, Scope


def active_memberships(user: User, on: datetime.date | None = None) -> QuerySet[Membership]:
    day = on or timezone.localdate()
    return Membership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), user=user, starts_on__lte=day
    ).select_related("department")


def posts_held(user: User) -> list[Membership]:
    """Today's posts, read once per user object: within a request the permission backend,
    the scope and the second-factor rule share one query."""
    cached: list[Membership] | None = getattr(user, "_wangge_posts", None)
    if cached is None:
        cached = list(active_memberships(user)) if user.pk else []
        user._wangge_posts = cached  # type: ignore[attr-defined]
    return cached


def scope_of(user: User) -> Scope:
    """The regions a user's posts cover, and the departments' regions and categories."""
    if not user.is_authenticated or not user.is_active:
        return Scope.nothing()
    if user.is_superuser:
        return Scope.everything()
    regions, departments = set(), []
    for membership in posts_held(user):
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


def roles_held(user: User) -> frozenset[str]:
    """`roles_of` from the posts read once per user object (`posts_held`)."""
    return frozenset(post.role for post in posts_held(user))


def totp_required(user: User) -> bool:
    """Whether the person must use a second factor: superusers and holders of the roles in
    WANGGE_TOTP_REQUIRED_ROLES; never demo accounts, whose password is published anyway."""
    if not user.is_authenticated or user.is_demo:
        return False
    if user.is_superuser:
        return True
    return bool(roles_held(user) & set(settings.WANGGE_TOTP_REQUIRED_ROLES))
