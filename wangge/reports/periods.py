"""Reporting periods and who owes what: the one place that says which units must submit a
form for which periods, and when each is due.

- A period is a day, an ISO week (Monday to Sunday), a month, a quarter or a year.
- A form is due `deadline_working_days` working days after its period ends, at the end of
  that day's working hours, on the work calendar (a form due "3 working days after the week"
  skips weekends and holidays).
- The units that owe a form are the regions of the form's levels in the district.
- A daily form is owed only on the days of a sensitive period that covers the unit (its
  prefixes, or every unit when it names none); other forms are owed every period.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from wangge.cases import calendar
from wangge.cases.deadlines import limit_end, working_days
from wangge.regions.models import Level, Region
from wangge.reports.models import PeriodType, ReportForm, SensitivePeriod, UnitLevel

LEVEL_OF_UNIT = {
    UnitLevel.DISTRICT: Level.COUNTY,
    UnitLevel.TOWNSHIP: Level.TOWNSHIP,
    UnitLevel.VILLAGE: Level.VILLAGE,
    UnitLevel.GRID: Level.GRID,
}
CODE_LENGTH = {
    UnitLevel.DISTRICT: 6,
    UnitLevel.TOWNSHIP: 9,
    UnitLevel.VILLAGE: 12,
    UnitLevel.GRID: 15,
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_containing(period_type: str, day: datetime.date) -> Period:
    if period_type == PeriodType.DAILY:
        return Period(day, day)
    if period_type == PeriodType.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return Period(start, start + datetime.timedelta(days=6))
    if period_type == PeriodType.MONTHLY:
        start = day.replace(day=1)
    elif period_type == PeriodType.QUARTERLY:
        start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif period_type == PeriodType.YEARLY:
        start = datetime.date(day.year, 1, 1)
    else:
        raise ValueError(f"unknown period type {period_type!r}")
    months = {PeriodType.MONTHLY: 1, PeriodType.QUARTERLY: 3, PeriodType.YEARLY: 12}[
        PeriodType(period_type)
    ]
    month_index = start.month - 1 + months
    following = datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return Period(start, following - datetime.timedelta(days=1))


def period_starting(period_type: str, start: datetime.date) -> Period | None:
    """The period that starts on `start`, or None when no period of the type starts then
    (a week must start on a Monday, a month on the 1st …)."""
    period = period_containing(period_type, start)
    return period if period.start == start else None


def previous_period(period_type: str, period: Period) -> Period:
    return period_containing(period_type, period.start - datetime.timedelta(days=1))


def next_period(period_type: str, period: Period) -> Period:
    return period_containing(period_type, period.end + datetime.timedelta(days=1))


def periods_between(
    period_type: str, first: datetime.date, last: datetime.date
) -> Iterator[Period]:
    period = period_containing(period_type, first)
    while period.start <= last:
        yield period
        period = next_period(period_type, period)


def due_at(form: ReportForm, period: Period) -> datetime.datetime:
    """The end of the working day `deadline_working_days` working days after the period (the
    period's own last day when the deadline is 0)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    last_evening = datetime.datetime.combine(period.end, datetime.time(18, 0), tzinfo=zone)
    if form.deadline_working_days == 0:
        return last_evening
    return limit_end(working_days(form.deadline_working_days), last_evening, calendar.current())


def is_open(period: Period, today: datetime.date) -> bool:
    """A period may be submitted from its last day on."""
    return today >= period.end


def unit_length(level: str) -> int:
    return CODE_LENGTH[UnitLevel(level)]


def units_owing(form: ReportForm, within: str = "") -> list[Region]:
    """The units of the form's levels, under `within` (a region code prefix)."""
    levels = [LEVEL_OF_UNIT[UnitLevel(level)] for level in form.unit_levels]
    queryset = Region.objects.filter(level__in=levels)
    if within:
        queryset = queryset.filter(code__startswith=within)
    return list(queryset.order_by("code").only("code", "name", "level", "parent_id"))


def sensitive_days(
    form: ReportForm, unit_code: str, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    """The days between `first` and `last` on which a sensitive period makes the unit owe the
    (daily) form."""
    days: set[datetime.date] = set()
    periods = SensitivePeriod.objects.filter(form=form, starts_on__lte=last, ends_on__gte=first)
    for sensitive in periods:
        prefixes = sensitive.region_prefixes or []
        if prefixes and not any(unit_code.startswith(prefix) for prefix in prefixes):
            continue
        day = max(first, sensitive.starts_on)
        while day <= min(last, sensitive.ends_on):
            days.add(day)
            day += datetime.timedelta(days=1)
    return sorted(days)


def owes(form: ReportForm, unit_code: str, period: Period) -> bool:
    """Whether the unit owes the form for the period."""
    if not any(len(unit_code) == unit_length(level) for level in form.unit_levels):
        return False
    if form.period_type == PeriodType.DAILY:
        return bool(sensitive_days(form, unit_code, period.start, period.end))
    return True


def periods_owed(
    form: ReportForm, unit_code: str, first: datetime.date, last: datetime.date
) -> list[Period]:
    """The periods between two days (those that end on or after `first` and start on or
    before `last`) for which the unit owes the form."""
    if form.period_type == PeriodType.DAILY:
        return [Period(day, day) for day in sensitive_days(form, unit_code, first, last)]
    if not any(len(unit_code) == unit_length(level) for level in form.unit_levels):
        return []
    return list(periods_between(form.period_type, first, last))


def sensitive_periods_covering(day: datetime.date, unit_code: str) -> Iterable[SensitivePeriod]:
    """The sensitive periods running on `day` that cover the unit."""
    return [
        sensitive
        for sensitive in SensitivePeriod.objects.filter(
            Q(starts_on__lte=day) & Q(ends_on__gte=day)
        ).select_related("form")
        if not sensitive.region_prefixes
        or any(unit_code.startswith(prefix) for prefix in sensitive.region_prefixes)
    ]
