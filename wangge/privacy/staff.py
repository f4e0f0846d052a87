"""Staff records (accounts.User) as a kind whose personal data can be shown in full.

A member of staff is reachable by a user when one of their current posts is in the user's
scope: a region post by its region, a department post by the department's region. This is an
accounts rule kept here until accounts has an access module of its own; it only reads.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import Membership, User
from wangge.accounts.selectors import active_memberships
from wangge.core.masking import mask_mobile
from wangge.core.scope import user_scope
from wangge.privacy.targets import TargetKind


def post_region(membership: Membership) -> str:
    if membership.region_id:
        return membership.region_id
    return membership.department.region_id if membership.department else ""


def staff_reachable(user: Any, member: User) -> bool:
    scope = user_scope(user)
    if scope.unlimited:
        return True
    regions = [post_region(post) for post in active_memberships(member)]
    return any(region and scope.covers(region) for region in regions)


def staff_get_for(user: Any, pk: object) -> User:
    """The member of staff, or 404 when the key is not a number, names nobody, or names
    someone out of the user's scope."""
    try:
        member = User.objects.get(pk=int(str(pk)))
    except (ValueError, User.DoesNotExist):
        raise Http404 from None
    if not staff_reachable(user, member):
        raise Http404
    return member


def staff_region(member: Any) -> str:
    """The unit of their earliest current post, so the audit entry can be scoped later."""
    regions = [post_region(post) for post in active_memberships(member)]
    return next((region for region in regions if region), "")


STAFF = TargetKind(
    name="staff",
    label=_("member of staff"),
    model=User,
    get_for=staff_get_for,
    fields={"mobile": mask_mobile},
    region_of=staff_region,
)
