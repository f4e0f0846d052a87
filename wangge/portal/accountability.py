"""The public accountability figures: per township and per lead unit, the residents' requests
received in a period, how many are closed, the median time to close, the on-time rate and
the satisfaction.

Which cases count: cases in categories that may be shown publicly (`Category.public`), raised
through a residents' channel (portal, 12345 hotline, phone call, Open311), reported within the
period, and not cancelled. Counts and rates are aggregated in the database (two grouped
queries); the median is computed in Python over the closed cases' durations (one more query
of two timestamps per closed case, fine up to tens of thousands of rows).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from wangge.accounts.models import Department
from wangge.cases.models import Case, Channel
from wangge.cases.workflow import Status
from wangge.regions.models import Region

RESIDENT_CHANNELS = (Channel.PORTAL, Channel.HOTLINE, Channel.PHONE, Channel.OPEN311)
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    month: str = ""  # YYYY-MM when a month was chosen


def period_for(month: str, today: datetime.date | None = None) -> Period | None:
    """The chosen month (YYYY-MM), or the last 90 days; None for a malformed month."""
    today = today or timezone.localdate()
    if not month:
        return Period(today - datetime.timedelta(days=DEFAULT_DAYS - 1), today)
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        return None
    if not 2000 <= first.year <= 2100:
        return None
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return Period(first, following - datetime.timedelta(days=1), month)


def counted(period: Period) -> QuerySet[Case]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, zone
    )
    return Case.objects.filter(
        category__public=True,
        channel__in=RESIDENT_CHANNELS,
        reported_at__gte=start,
        reported_at__lt=end,
    ).exclude(status=Status.CANCELLED)


@dataclass
class Row:
    key: str
    name: str
    received: int = 0
    closed: int = 0
    median_days: float | None = None
    on_time_rate: float | None = None  # percent of the cases with an on-time verdict
    satisfied_rate: float | None = None  # percent of the rated cases that were satisfied
    mean_rating: float | None = None


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rows_by(cases: QuerySet[Case], key: str, names: dict[str, str]) -> list[Row]:
    grouped = (
        cases.values(key)
        .annotate(
            received=Count("id"),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            judged=Count("id", filter=Q(on_time__isnull=False)),
            on_time_count=Count("id", filter=Q(on_time=True)),
            verdicts=Count("id", filter=Q(satisfied__isnull=False)),
            satisfied_count=Count("id", filter=Q(satisfied=True)),
            mean_rating=Avg("rating"),
        )
        .order_by(key)
    )
    durations: dict[str, list[float]] = defaultdict(list)
    for group, reported, closed in cases.filter(
        status=Status.CLOSED, closed_at__isnull=False
    ).values_list(key, "reported_at", "closed_at"):
        durations[str(group)].append((closed - reported).total_seconds() / 86400)
    rows = []
    for row in grouped:
        group = str(row[key])
        mean = row["mean_rating"]
        rows.append(
            Row(
                key=group,
                name=names.get(group, group),
                received=row["received"],
                closed=row["closed"],
                median_days=round(statistics.median(durations[group]), 1)
                if durations[group]
                else None,
                on_time_rate=share(row["on_time_count"], row["judged"]),
                satisfied_rate=share(row["satisfied_count"], row["verdicts"]),
                mean_rating=round(float(mean), 2) if mean is not None else None,
            )
        )
    return rows


def by_township(period: Period) -> list[Row]:
    cases = counted(period).annotate(township=Substr("region_code", 1, 9))
    names = dict(Region.objects.filter(level="township").values_list("code", "name"))
    return rows_by(cases, "township", names)


def by_department(period: Period) -> list[Row]:
    cases = counted(period).filter(lead_department__isnull=False)
    names = {str(pk): name for pk, name in Department.objects.values_list("pk", "name")}
    return rows_by(cases, "lead_department", names)
