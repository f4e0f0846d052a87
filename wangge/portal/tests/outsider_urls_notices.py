"""Scoped staff routes of notices, hearings and comment moderation for the route-coverage
test: the township dispatcher (620502001) asks for records of a township far away
(620502103)."""

import datetime
from typing import Any

from django.urls import reverse

FAR_TOWNSHIP = "620502103"


def far_notice(outsider: Any) -> int:
    from django.utils import timezone

    from wangge.portal.models import Notice

    today = timezone.localdate()
    return Notice.objects.create(
        region_code=FAR_TOWNSHIP,
        kind="policy",
        title="外乡公示",
        body="正文",
        issuer="外乡政府",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        created_by=outsider,
        created_at=timezone.now(),
    ).pk


def far_hearing(outsider: Any) -> Any:
    from django.utils import timezone

    from wangge.portal.models import Hearing

    return Hearing.objects.create(
        region_code=FAR_TOWNSHIP,
        kind="consultation",
        title="外乡征求意见",
        agenda="议程",
        organiser="外乡政府",
        created_by=outsider,
        created_at=timezone.now(),
    )


def far_comment(outsider: Any) -> int:
    from django.utils import timezone

    from wangge.portal.models import HearingComment

    return HearingComment.objects.create(
        hearing=far_hearing(outsider),
        phone="13900000077",
        body="意见",
        created_at=timezone.now(),
    ).pk


OUTSIDER_URLS: dict[str, Any] = {
    "portal:notice_withdraw": (
        "dispatcher",
        lambda o: reverse("portal:notice_withdraw", args=[far_notice(o)]),
    ),
    "portal:hearing_edit": (
        "dispatcher",
        lambda o: reverse("portal:hearing_edit", args=[far_hearing(o).pk]),
    ),
    "portal:moderate_comment": (
        "dispatcher",
        lambda o: reverse("portal:moderate_comment", args=[far_comment(o)]),
    ),
}
