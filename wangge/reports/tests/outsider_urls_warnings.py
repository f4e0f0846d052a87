"""Scoped routes of the warnings pages for the route-coverage test: a warning about the
outsider's township, asked for by the dispatcher of another township."""

import datetime
from typing import Any

from django.urls import reverse

OUTSIDE_TOWNSHIP = "620502103"


def outsider_warning(outsider: Any) -> int:
    from django.utils import timezone

    from wangge.reports.models import EarlyWarning, RuleKind, WarningRule

    rule = WarningRule.objects.create(name="超期比例", kind=RuleKind.OVERDUE_SHARE, params={})
    warning = EarlyWarning.objects.create(
        rule=rule,
        region_code=OUTSIDE_TOWNSHIP,
        category_code="E01",
        period_start=datetime.date(2026, 11, 16),
        period_end=datetime.date(2026, 11, 22),
        value=0.5,
        threshold=0.3,
        summary="外乡超期比例过高",
        created_at=timezone.now(),
    )
    return warning.pk


OUTSIDER_URLS: dict[str, Any] = {
    "reports:warning": (
        "dispatcher",
        lambda o: reverse("reports:warning", args=[outsider_warning(o)]),
    ),
}
EXAMPLE_KWARGS = {"warning_id": 1}
