"""Platform figures a report form may prefill: counts of the unit's cases in the period.

A form field names one of `PREFILL_KEYS`; when a unit opens a new draft, the field starts with
the figure for the unit (its region-code prefix) and the period, and stays editable. Counted
from `cases.Case` by local day: reported in the period, closed in the period, and open past
their deadline at the end of the period. Cancelled reports are no cases.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case
from wangge.cases.workflow import Status
from wangge.core.scope import prefix_q
from wangge.reports.periods import Period

DISPUTE, HAZARD = "dispute", "hazard"
PREFILL_KEYS = {
    "cases_reported": _("cases reported in the period"),
    "cases_closed": _("cases closed in the period"),
    "cases_overdue": _("cases overdue at the end of the period"),
    "disputes_reported": _("disputes reported in the period"),
    "disputes_closed": _("disputes closed in the period"),
    "hazards_reported": _("safety hazards reported in the period"),
}
DONE = (Status.CLOSED, Status.CANCELLED)


def period_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """[first day 00:00, the day after the last 00:00) in the local time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime.combine(period.start, datetime.time(), zone)
    after = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time(), zone
    )
    return first, after


def figures(unit_code: str, period: Period) -> dict[str, int]:
    """Every prefill figure for the unit and period, in one aggregate query."""
    first, after = period_bounds(period)
    reported = Q(reported_at__gte=first, reported_at__lt=after)
    closed = Q(status=Status.CLOSED, closed_at__gte=first, closed_at__lt=after)
    overdue = Q(due_at__lt=after, reported_at__lt=after) & (
        ~Q(status__in=DONE) | Q(closed_at__gte=after)
    )
    counts = (
        Case.objects.filter(prefix_q("region_code", unit_code))
        .exclude(status=Status.CANCELLED)
        .aggregate(
            cases_reported=Count("pk", filter=reported),
            cases_closed=Count("pk", filter=closed),
            cases_overdue=Count("pk", filter=overdue),
            disputes_reported=Count("pk", filter=reported & Q(kind=DISPUTE)),
            disputes_closed=Count("pk", filter=closed & Q(kind=DISPUTE)),
            hazards_reported=Count("pk", filter=reported & Q(kind=HAZARD)),
        )
    )
    return {key: int(counts[key] or 0) for key in PREFILL_KEYS}
