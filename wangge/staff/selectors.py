"""Reads for the staff pages: the list, and what one person holds and reaches."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import Membership, User
from wangge.accounts.roles import CAPABILITY_LABELS, ROLE_PERMISSIONS
from wangge.regions.models import GridAssignment, Region


def staff_filtered(
    staff: QuerySet[User], *, text: str = "", region_code: str = "", role: str = ""
) -> QuerySet[User]:
    """The reachable staff matching a name or user name, a unit and a role, with their
    current posts prefetched for the list."""
    today = timezone.localdate()
    current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    if text:
        staff = staff.filter(Q(name__contains=text) | Q(username__icontains=text))
    if region_code or role:
        posts = Membership.objects.filter(current)
        if region_code:
            posts = posts.filter(
                Q(region__code__startswith=region_code)
                | Q(department__region__code__startswith=region_code)
            )
        if role:
            posts = posts.filter(role=role)
        staff = staff.filter(pk__in=posts.values("user_id"))
    return staff.order_by("username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(current).select_related("region", "department"),
            to_attr="current_posts",
        )
    )


@dataclass(frozen=True)
class Reach:
    posts: list[Membership]
    assignments: list[GridAssignment]
    capabilities: list[str]
    regions: list[Region]
    departments: list[Any]


def staff_reach(member: User) -> Reach:
    """Every post and grid assignment, past and present, and what the current ones give:
    the same rules `MembershipBackend` and `scope_of` apply, shown to the administrator."""
    today = timezone.localdate()
    posts = list(
        Membership.objects.filter(user=member)
        .select_related("region", "department", "department__region")
        .order_by("-starts_on", "pk")
    )
    current = [post for post in posts if post.starts_on <= today and not ended(post, today)]
    permissions: set[str] = set()
    for post in current:
        permissions |= ROLE_PERMISSIONS.get(post.role, frozenset())
    return Reach(
        posts=posts,
        assignments=list(
            GridAssignment.objects.filter(user=member)
            .select_related("grid", "grid__parent")
            .order_by("-starts_on", "pk")
        ),
        capabilities=sorted(str(CAPABILITY_LABELS.get(name, name)) for name in permissions),
        regions=[post.region for post in current if post.region is not None],
        departments=[post.department for post in current if post.department is not None],
    )


def ended(post: Any, today: Any) -> bool:
    return post.ends_on is not None and post.ends_on < today
