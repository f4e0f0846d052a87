"""The work calendar as data, and the working-time arithmetic that deadlines are built on.

A `WorkCalendar` holds the dates off (holidays), the weekend dates that are working days
(调休), and the working periods of a day in the calendar's time zone (Asia/Shanghai). Every
function takes and returns timezone-aware datetimes; results are in UTC (how they are
stored); days and working periods are computed on the calendar's local wall clock.

Rules and how sure they are:

- A date is a working day when it is an adjusted working day; otherwise when it is Monday to
  Friday and not a holiday. This is how the State Council's yearly holiday notice and the
  `chinesecalendar` package read [V against the package's data].
- Working hours default to 08:30-12:00 and 14:30-18:00. This is a common Gansu/northwest
  government office schedule in summer, not a published standard [R]; it is configurable.
- "N working days" from a moment: the day the clock starts is not counted, and the time is due
  at the end of the working hours of the N-th working day after it. This follows the general
  rule for periods in Chinese procedural law, 民事诉讼法 (2023) art. 85: "期间开始的时和日，不计算
  在期间内" [S: quoted in several legal tools in the code corpus, not checked against the
  official text here]; whether a given local rule counts the same way is [R].
- "N working hours" from a moment counts only time inside working periods; a deadline that
  falls exactly on the end of a period is that end (12:00, not 14:30).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = "Asia/Shanghai"
DEFAULT_WORKING_PERIODS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(12, 0)),
    (time(14, 30), time(18, 0)),
)
# Ten years without a single working day means the calendar is broken, not the case slow.
SEARCH_LIMIT_DAYS = 3660


class CalendarError(ValueError):
    """A calendar that cannot be built or used as asked; `code` is machine-readable."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class WorkCalendar:
    """Dates off, adjusted working days and daily working periods, as plain data.

    `confirmed_years` are the years whose official schedule is in the calendar; for any
    other year only weekends count as days off, and pages should call the year provisional
    (ARCHITECTURE.md, "work calendar").
    """

    holidays: frozenset[date] = frozenset()
    adjusted_working_days: frozenset[date] = frozenset()
    working_periods: tuple[tuple[time, time], ...] = DEFAULT_WORKING_PERIODS
    timezone: str = SHANGHAI
    confirmed_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        _check_periods(self.working_periods)
        both = self.holidays & self.adjusted_working_days
        if both:
            raise CalendarError(
                "holiday_and_working_day", f"Dates both off and working: {sorted(both)}."
            )
        ZoneInfo(self.timezone)  # fails early on a misspelt zone


def _check_periods(periods: tuple[tuple[time, time], ...]) -> None:
    if not periods:
        raise CalendarError("no_working_periods", "A calendar needs at least one working period.")
    previous_end = time.min
    for start, end in periods:
        if not previous_end <= start < end:
            raise CalendarError(
                "bad_working_periods",
                "Working periods must be ordered, non-overlapping and each start before it ends.",
            )
        previous_end = end


def is_working_day(calendar: WorkCalendar, day: date) -> bool:
    """Adjusted working days work; otherwise Monday to Friday unless a holiday."""
    if day in calendar.adjusted_working_days:
        return True
    return day.weekday() < 5 and day not in calendar.holidays


def is_confirmed_year(calendar: WorkCalendar, year: int) -> bool:
    """False when the official holiday schedule of the year is not (yet) in the calendar."""
    return year in calendar.confirmed_years


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("naive_datetime", f"A timezone-aware datetime is needed: {moment}.")


def _local_date(calendar: WorkCalendar, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(calendar.timezone)).date()


def _periods_on(calendar: WorkCalendar, day: date) -> list[tuple[datetime, datetime]]:
    """The working periods of one day as UTC intervals; none on a day off."""
    if not is_working_day(calendar, day):
        return []
    zone = ZoneInfo(calendar.timezone)
    return [
        (
            datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
            datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
        )
        for start, end in calendar.working_periods
    ]


def working_periods_from(
    calendar: WorkCalendar, moment: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Working periods (UTC) that end after `moment`, in order, clipped to start at `moment`."""
    _require_aware(moment)
    moment = moment.astimezone(UTC)
    day = _local_date(calendar, moment)
    for offset in range(SEARCH_LIMIT_DAYS):
        for start, end in _periods_on(calendar, day + timedelta(days=offset)):
            if end > moment:
                yield max(start, moment), end
    raise CalendarError(
        "no_working_time", f"No working time within {SEARCH_LIMIT_DAYS} days of {moment}."
    )


def add_working_time(calendar: WorkCalendar, start: datetime, duration: timedelta) -> datetime:
    """The moment when `duration` of working time has passed since `start` (UTC).

    A zero duration returns `start` itself; a positive one always lands inside a working
    period, its end included.
    """
    _require_aware(start)
    if duration < timedelta(0):
        raise CalendarError("negative_duration", "Working time to add cannot be negative.")
    if duration == timedelta(0):
        return start.astimezone(UTC)
    remaining = duration
    for period_start, period_end in working_periods_from(calendar, start):
        available = period_end - period_start
        if remaining <= available:
            return period_start + remaining
        remaining -= available
    raise AssertionError("unreachable: working_periods_from raises when it runs out")


def add_working_hours(calendar: WorkCalendar, start: datetime, hours: float) -> datetime:
    """`add_working_time` in hours (may be fractional: 0.5 is half an hour)."""
    return add_working_time(calendar, start, timedelta(hours=hours))


def add_working_days(calendar: WorkCalendar, start: datetime, days: int) -> datetime:
    """The end of the working hours of the `days`-th working day after the day of `start`.

    The start day is not counted, whatever the time and whether or not it is a working day
    (see the module docstring). Friday 16:00 + 3 working days, with the next Monday a
    holiday, is due Thursday at the end of the last working period. Zero days returns start.
    """
    _require_aware(start)
    if days < 0:
        raise CalendarError("negative_duration", "Working days to add cannot be negative.")
    if days == 0:
        return start.astimezone(UTC)
    day = _local_date(calendar, start)
    counted = 0
    for _ in range(SEARCH_LIMIT_DAYS):
        day += timedelta(days=1)
        if is_working_day(calendar, day):
            counted += 1
            if counted == days:
                return _periods_on(calendar, day)[-1][1]
    raise CalendarError("no_working_time", f"No {days} working days after {start}.")


def working_time_between(calendar: WorkCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time inside [start, end]; negative when end is before start."""
    _require_aware(start)
    _require_aware(end)
    if end < start:
        return -working_time_between(calendar, end, start)
    total = timedelta(0)
    for period_start, period_end in _periods_between(calendar, start, end):
        total += min(period_end, end) - period_start
    return total


def _periods_between(
    calendar: WorkCalendar, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Working periods from `start` that begin before `end` (bounded by the two dates)."""
    first, last = _local_date(calendar, start), _local_date(calendar, end)
    for offset in range((last - first).days + 1):
        for period_start, period_end in _periods_on(calendar, first + timedelta(days=offset)):
            clipped_start = max(period_start, start.astimezone(UTC))
            if period_end > clipped_start and clipped_start < end:
                yield clipped_start, period_end


def is_working_moment(calendar: WorkCalendar, moment: datetime) -> bool:
    """True inside a working period, its start excluded and its end included (a deadline
    at 12:00 is inside the morning's work)."""
    _require_aware(moment)
    return any(
        start < moment <= end for start, end in _periods_on(calendar, _local_date(calendar, moment))
    )


def chinese_calendar_years() -> frozenset[int]:
    """The years whose official schedule the installed `chinesecalendar` package knows."""
    import chinese_calendar

    return frozenset(day.year for day in chinese_calendar.holidays)


def calendar_from_chinese_calendar(
    years: Iterable[int],
    working_periods: tuple[tuple[time, time], ...] = DEFAULT_WORKING_PERIODS,
) -> WorkCalendar:
    """A calendar with the official holidays and adjusted working days of `years`, taken from
    the `chinesecalendar` package (the State Council's yearly notices) [V against the package].

    Raises `CalendarError("year_unknown")` for a year the installed package does not know:
    a later year needs a newer package or an administrator entering the notice by hand.
    """
    import chinese_calendar

    wanted = frozenset(years)
    unknown = sorted(wanted - chinese_calendar_years())
    if unknown:
        known = sorted(chinese_calendar_years())
        raise CalendarError(
            "year_unknown",
            f"chinesecalendar does not know the year(s) {unknown}; it knows "
            f"{known[0]}-{known[-1]}. Upgrade it or enter the holiday notice by hand.",
        )
    return WorkCalendar(
        holidays=frozenset(day for day in chinese_calendar.holidays if day.year in wanted),
        adjusted_working_days=frozenset(
            day for day in chinese_calendar.workdays if day.year in wanted
        ),
        working_periods=working_periods,
        confirmed_years=wanted,
    )
