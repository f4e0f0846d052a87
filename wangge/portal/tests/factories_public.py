"""Small factories for the tests of public requests, moderation and the accountability page:
a case in a category of our own (public or not) and the portal request it came from."""

import datetime
import itertools
from typing import Any

from django.utils import timezone

from wangge.cases.models import Case, Category, Channel
from wangge.portal.models import PortalRequest

COUNTER = itertools.count(1)


def category(public: bool = True) -> Category:
    code = "T991" if public else "T992"
    found, _created = Category.objects.get_or_create(
        code=code,
        defaults={
            "name": "测试公开类" if public else "测试内部类",
            "kind": "request",
            "department_kind": "urban_management",
            "public": public,
        },
    )
    return found


def case(
    *,
    region_code: str = "620502001001001",
    public: bool = True,
    channel: str = Channel.PORTAL,
    status: str = "registered",
    reported_at: datetime.datetime | None = None,
    **fields: Any,
) -> Case:
    number = next(COUNTER)
    chosen = category(public)
    return Case.objects.create(
        number=f"T-{timezone.now():%H%M%S%f}-{number}",
        kind="request",
        category=chosen,
        category_code=chosen.code,
        title=fields.pop("title", "路灯不亮"),
        description=fields.pop("description", "楼下路灯不亮，电话13912345678"),
        address=fields.pop("address", "幸福小区3号楼2单元"),
        region_code=region_code,
        channel=channel,
        status=status,
        reported_at=reported_at or timezone.now(),
        **fields,
    )


def portal_request(
    *, phone: str = "13900000001", moderation: str = "pending", **case_fields: Any
) -> PortalRequest:
    made = case(**case_fields)
    return PortalRequest.objects.create(
        case=made,
        tracking_code=f"TP{next(COUNTER):08d}",
        phone=phone,
        created_at=made.reported_at,
        moderation=moderation,
        public_text="路灯不亮" if moderation == "published" else "",
    )
