"""Who may see and manage which staff, posts, grid assignments and departments.

A member of staff belongs where their posts are: a user reaches the staff whose posts (now or
in the past) lie in the user's scope, and the departments whose region lies in it. Someone
without any post is reachable only from the whole district. Without the base capability the
answer is 403; out of scope, 404; in scope without the action's capability, 403.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from wangge.accounts.models import Department, Membership, User
from wangge.core.scope import Scope, out_of_scope_record, scope_q, user_scope
from wangge.regions.models import GridAssignment, Region

VIEW_STAFF = "accounts.view_user"
ADD_USER = "accounts.add_user"
CHANGE_USER = "accounts.change_user"
GIVE_POST = "accounts.add_membership"
END_POST = "accounts.change_membership"
VIEW_DEPARTMENTS = "accounts.view_department"
CHANGE_DEPARTMENT = "accounts.change_department"
ASSIGN_GRID = "regions.add_gridassignment"
END_GRID = "regions.change_gridassignment"


def reaches_whole_district(scope: Scope) -> bool:
    return scope.unlimited or scope.covers(settings.WANGGE_ROOT_REGION)


def require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def staff_visible_to(user: Any) -> QuerySet[User]:
    require(user, VIEW_STAFF)
    scope = user_scope(user)
    if reaches_whole_district(scope):
        return User.objects.all()
    posts = Membership.objects.filter(
        scope_q(scope, field="region__code") | scope_q(scope, field="department__region__code")
    )
    assignments = GridAssignment.objects.filter(scope_q(scope, field="grid__code"))
    return User.objects.filter(
        Q(pk__in=posts.values("user_id")) | Q(pk__in=assignments.values("user_id"))
    )


def staff_get_for(
    user: Any, pk: int | str, *, action: str | None = None, request: HttpRequest | None = None
) -> User:
    try:
        member = staff_visible_to(user).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        out_of_scope_record(user, User.objects.all(), pk, request)
        raise Http404 from None
    if action is not None:
        require(user, action)
    return member


def membership_get_for(
    user: Any, pk: int | str, *, action: str | None = None, request: HttpRequest | None = None
) -> Membership:
    """A post of a reachable member of staff, in a unit the user reaches."""
    require(user, VIEW_STAFF)
    scope = user_scope(user)
    posts = Membership.objects.select_related("user", "region", "department")
    if not reaches_whole_district(scope):
        posts = posts.filter(
            scope_q(scope, field="region__code") | scope_q(scope, field="department__region__code")
        )
    try:
        post = posts.get(pk=pk)
    except (Membership.DoesNotExist, ValueError):
        out_of_scope_record(user, Membership.objects.all(), pk, request)
        raise Http404 from None
    if action is not None:
        require(user, action)
    return post


def assignment_get_for(
    user: Any, pk: int | str, *, action: str | None = None, request: HttpRequest | None = None
) -> GridAssignment:
    require(user, VIEW_STAFF)
    scope = user_scope(user)
    assignments = GridAssignment.objects.select_related("user", "grid")
    if not reaches_whole_district(scope):
        assignments = assignments.filter(scope_q(scope, field="grid__code"))
    try:
        assignment = assignments.get(pk=pk)
    except (GridAssignment.DoesNotExist, ValueError):
        out_of_scope_record(user, GridAssignment.objects.all(), pk, request)
        raise Http404 from None
    if action is not None:
        require(user, action)
    return assignment


def departments_visible_to(user: Any) -> QuerySet[Department]:
    require(user, VIEW_DEPARTMENTS)
    scope = user_scope(user)
    departments = Department.objects.select_related("region")
    if reaches_whole_district(scope):
        return departments
    return departments.filter(scope_q(scope, field="region__code"))


def department_get_for(
    user: Any, code: str, *, action: str | None = None, request: HttpRequest | None = None
) -> Department:
    try:
        department = departments_visible_to(user).get(code=code)
    except Department.DoesNotExist:
        pk = Department.objects.filter(code=code).values_list("pk", flat=True).first()
        if pk is not None:
            out_of_scope_record(user, Department.objects.all(), pk, request)
        raise Http404 from None
    if action is not None:
        require(user, action)
    return department


def region_within_reach(user: Any, code: str) -> Region | None:
    """The region with this code if the user's scope covers it; None says neither whether it
    exists nor why, so that forms can refuse it without revealing anything."""
    if not user_scope(user).covers(code):
        return None
    return Region.objects.filter(code=code).first()


def department_within_reach(user: Any, code: str) -> Department | None:
    return departments_visible_to(user).filter(code=code).first()
