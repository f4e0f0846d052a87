"""Scoped routes of the forms pages for the route-coverage test: the township dispatcher asks
for the report of a village in a township far away (620502103)."""

import datetime
from typing import Any

from django.urls import reverse

FAR_VILLAGE = "620502103200"
WEEK = "2026-11-23"


def outsider_form(outsider: Any) -> Any:
    from django.utils import timezone

    from wangge.reports.models import ReportForm

    form, _ = ReportForm.objects.get_or_create(
        code="outsider-weekly",
        defaults={
            "name": "外乡周报",
            "period_type": "weekly",
            "unit_levels": ["village"],
            "fields": [{"name": "found", "label": "排查数", "type": "number"}],
            "created_by": outsider,
            "created_at": timezone.now(),
        },
    )
    return form


def outsider_submission(outsider: Any) -> int:
    from django.utils import timezone

    from wangge.reports.models import Submission

    submission = Submission.objects.create(
        form=outsider_form(outsider),
        region_code=FAR_VILLAGE,
        period_start=datetime.date(2026, 11, 23),
        period_end=datetime.date(2026, 11, 29),
        due_at=timezone.now(),
        state="submitted",
        values={"found": 1},
    )
    return submission.pk


OUTSIDER_URLS: dict[str, Any] = {
    "reports:submit": (
        "dispatcher",
        lambda o: reverse("reports:submit", args=[outsider_form(o).code, FAR_VILLAGE, WEEK]),
    ),
    "reports:submission": (
        "dispatcher",
        lambda o: reverse("reports:submission", args=[outsider_submission(o)]),
    ),
}
EXAMPLE_KWARGS = {
    "form_code": "weekly",
    "unit_code": "620502001001",
    "period_start": WEEK,
    "submission_id": 1,
}
