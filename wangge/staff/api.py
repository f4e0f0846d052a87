"""Staff, read-only, for integrations and the pages' scripts: through the same gate as the
pages (403 without the capability, 404 out of reach), mobiles masked."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from wangge.accounts.models import Membership, User
from wangge.core.api import ErrorOut
from wangge.core.masking import mask_mobile
from wangge.core.routes import access
from wangge.staff import access as gate
from wangge.staff import selectors

router = Router(tags=["staff"], auth=django_auth)


class PostOut(Schema):
    role: str
    role_display: str
    unit_code: str
    unit_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class StaffOut(Schema):
    id: int
    username: str
    name: str
    mobile_masked: str
    is_active: bool
    posts: list[PostOut]

    @staticmethod
    def resolve_mobile_masked(member: Any) -> str:
        return member["mobile_masked"] if isinstance(member, dict) else mask_mobile(member.mobile)

    @staticmethod
    def resolve_posts(member: Any) -> list[dict[str, Any]]:
        if isinstance(member, dict):
            return member["posts"]  # type: ignore[no-any-return]
        return [post_out(post) for post in member.current_posts]


class AssignmentOut(Schema):
    grid_code: str
    grid_name: str
    role: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class ReachOut(StaffOut):
    assignments: list[AssignmentOut]
    capabilities: list[str]
    region_codes: list[str]
    department_codes: list[str]


class StaffFilter(Schema):
    text: str = ""
    region: str = ""
    role: str = ""


def post_out(post: Membership) -> dict[str, Any]:
    unit = post.region or post.department
    return {
        "role": post.role,
        "role_display": str(post.get_role_display()),
        "unit_code": post.region_id or (post.department.code if post.department else ""),
        "unit_name": unit.name if unit else "",
        "starts_on": post.starts_on,
        "ends_on": post.ends_on,
    }


def staff_out(member: User, posts: list[Membership]) -> dict[str, Any]:
    return {
        "id": member.pk,
        "username": member.username,
        "name": member.name,
        "mobile_masked": mask_mobile(member.mobile),
        "is_active": member.is_active,
        "posts": [post_out(post) for post in posts],
    }


@router.get("/staff", response={200: list[StaffOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW_STAFF, note="staff within one's reach")
@paginate(LimitOffsetPagination)
def staff_list(request: HttpRequest, filters: Query[StaffFilter]) -> Any:
    staff = selectors.staff_filtered(
        gate.staff_visible_to(request.user),
        text=filters.text,
        region_code=filters.region,
        role=filters.role,
    )
    return staff  # paged first; the current posts are prefetched for the page only


@router.get("/staff/{user_id}", response={200: ReachOut, 403: ErrorOut, 404: ErrorOut})
@access("permission", permission=gate.VIEW_STAFF, scoped=True, note="what one person reaches")
def staff_detail(request: HttpRequest, user_id: int) -> Any:
    member = gate.staff_get_for(request.user, user_id, request=request)
    reach = selectors.staff_reach(member)
    return {
        **staff_out(member, reach.posts),
        "assignments": [
            {
                "grid_code": assignment.grid_id,
                "grid_name": assignment.grid.name,
                "role": assignment.role,
                "starts_on": assignment.starts_on,
                "ends_on": assignment.ends_on,
            }
            for assignment in reach.assignments
        ],
        "capabilities": reach.capabilities,
        "region_codes": [region.code for region in reach.regions],
        "department_codes": [department.code for department in reach.departments],
    }
