"""The work calendar as stored (holidays, adjusted working days, working hours, confirmed
years), turned into the pure `WorkCalendar` the deadline arithmetic uses.

Built once per process and rebuilt when an administrator changes it: every edit touches the
`WorkingHours` row, and `current()` compares its `changed_at` (one indexed single-row read).
"""

import threading
import time as time_module
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from wangge.cases.models import CalendarDay, CalendarDayKind, CalendarYear, WorkingHours
from wangge.cases.workcalendar import (
    DEFAULT_WORKING_PERIODS,
    CalendarError,
    WorkCalendar,
    calendar_from_chinese_calendar,
    chinese_calendar_years,
)

_lock = threading.Lock()
_cached: tuple[datetime | None, WorkCalendar] | None = None


def parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    """ "08:30-12:00,14:30-18:00" → ((08:30, 12:00), (14:30, 18:00)); CalendarError if bad."""
    periods = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (time.fromisoformat(value.strip()) for value in part.split("-"))
        except ValueError:
            raise CalendarError(
                "periods_format", "Write working hours as 08:30-12:00,14:30-18:00."
            ) from None
        periods.append((start, end))
    if not periods:
        raise CalendarError("periods_format", "Write working hours as 08:30-12:00,14:30-18:00.")
    result = tuple(periods)
    WorkCalendar(working_periods=result)  # checks order and overlaps
    return result


def format_periods(periods: tuple[tuple[time, time], ...]) -> str:
    return ",".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in periods)


def _hours_row() -> WorkingHours:
    row = WorkingHours.objects.order_by("id").first()
    if row is None:
        row = WorkingHours.objects.create(periods=format_periods(DEFAULT_WORKING_PERIODS))
    return row


def build() -> WorkCalendar:
    days = list(CalendarDay.objects.values_list("day", "kind"))
    return WorkCalendar(
        holidays=frozenset(day for day, kind in days if kind == CalendarDayKind.HOLIDAY),
        adjusted_working_days=frozenset(
            day for day, kind in days if kind == CalendarDayKind.WORKDAY
        ),
        working_periods=parse_periods(_hours_row().periods),
        confirmed_years=frozenset(
            CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
        ),
    )


# Another process's edit is seen within this many seconds; this process's own at once.
RECHECK_SECONDS = 5.0
_checked_at = 0.0


def current() -> WorkCalendar:
    global _cached, _checked_at
    now = time_module.monotonic()
    with _lock:
        if _cached is not None and now - _checked_at < RECHECK_SECONDS:
            return _cached[1]
    stamp = WorkingHours.objects.order_by("id").values_list("changed_at", flat=True).first()
    with _lock:
        if _cached is not None and stamp is not None and _cached[0] == stamp:
            _checked_at = now
            return _cached[1]
    calendar = build()
    stamp = WorkingHours.objects.order_by("id").values_list("changed_at", flat=True).first()
    with _lock:
        _cached = (stamp, calendar)
        _checked_at = now
    return calendar


def forget() -> None:
    """Drop this process's copy (after an edit, and in tests that change the tables)."""
    global _cached
    with _lock:
        _cached = None


def touch() -> None:
    """Mark the calendar changed (call inside the editing transaction)."""
    row = _hours_row()
    row.save(update_fields=["changed_at"])
    transaction.on_commit(forget)
    forget()


def seed_years(years: list[int], *, source: str = "chinesecalendar") -> list[int]:
    """Store the official holidays and adjusted working days of `years` that the installed
    `chinesecalendar` knows, as confirmed; years it does not know are created unconfirmed
    (weekends only) for an administrator to fill in. Returns the years seeded from it."""
    known = chinese_calendar_years()
    seeded = [year for year in years if year in known]
    with transaction.atomic():
        if seeded:
            official = calendar_from_chinese_calendar(seeded)
            for day in sorted(official.holidays):
                if day.weekday() < 5:
                    CalendarDay.objects.update_or_create(
                        day=day, defaults={"kind": CalendarDayKind.HOLIDAY, "name": ""}
                    )
            for day in sorted(official.adjusted_working_days):
                CalendarDay.objects.update_or_create(
                    day=day, defaults={"kind": CalendarDayKind.WORKDAY, "name": ""}
                )
        for year in years:
            CalendarYear.objects.update_or_create(
                year=year,
                defaults={"confirmed": year in seeded, "source": source if year in seeded else ""},
            )
        touch()
    return seeded


def provisional(moment: datetime) -> bool:
    """Whether a deadline at `moment` lies in a year not yet confirmed."""
    local = timezone.localtime(moment)
    return local.year not in current().confirmed_years
