"""Step limits per category as data, and the deadline and supervision arithmetic on them.

Sources and how sure they are:

- The clock of an urban-management case starts at dispatch (派遣), and the case is
  supervised from then on: domain-facts §3.1 [S: a county's implementing rules].
- Yellow and red supervision (黄牌/红牌督办) in the Tianque workflow are raised when a step
  has run past a number of working days since it started: by default yellow after 1 day for
  acceptance and 5 for handling, red after 2 and 10; limits can be set per event type and per
  department: domain-facts §3.3 [C: seeded data of a real system, not a standard]. Here a
  step's yellow threshold defaults to its own limit and red to twice it (the ratio of those
  defaults); a category may set both explicitly.
- A deadline or threshold is passed when `now` is strictly after it: work finished at the
  due moment is on time [R: the usual reading of 按期].
- Time the case spends suspended does not count [the issue's rule]: the time left when a
  suspension starts (working time for working units, elapsed time for calendar days) runs
  again from when it ends [R: our way of counting; no source found].
- Calendar-day limits (e.g. 信访工作条例's 60 days, §6.4 [V]) end on the n-th day after the
  start day, moved to the next working day when that day is off, following 民事诉讼法 art. 85
  [S]; they are due at the end of that day's working hours [R].
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from wangge.cases.workcalendar import (
    WorkCalendar,
    add_working_days,
    add_working_time,
    is_working_day,
    working_time_between,
)
from wangge.cases.workflow import Action, SupervisionLevel

Interval = tuple[datetime, datetime]


class LimitUnit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("A time limit cannot be negative.")

    def times(self, factor: int) -> "Limit":
        return Limit(self.amount * factor, self.unit)


def working_hours(amount: int) -> Limit:
    return Limit(amount, LimitUnit.WORKING_HOURS)


def working_days(amount: int) -> Limit:
    return Limit(amount, LimitUnit.WORKING_DAYS)


def calendar_days(amount: int) -> Limit:
    return Limit(amount, LimitUnit.CALENDAR_DAYS)


@dataclass(frozen=True)
class StepLimit:
    """How long one step may take, from which action its clock starts, and when automatic
    yellow and red supervision are due (by default: the limit itself, and twice it)."""

    limit: Limit
    starts_at: str
    yellow_after: Limit | None = None
    red_after: Limit | None = None

    @property
    def yellow(self) -> Limit:
        return self.yellow_after or self.limit

    @property
    def red(self) -> Limit:
        return self.red_after or self.limit.times(2)


@dataclass(frozen=True)
class CategoryLimits:
    """A category's limits, step by step (step names: accept, dispatch, handle, verify, …)."""

    steps: Mapping[str, StepLimit] = field(default_factory=lambda: MappingProxyType({}))

    def step(self, name: str) -> StepLimit:
        try:
            return self.steps[name]
        except KeyError:
            raise KeyError(f"No time limit for the step {name!r}.") from None


# The Tianque defaults (domain-facts §3.3 [C]), with the urban-management rule that the clock
# starts at dispatch (§3.1 [S]). Categories seeded from the standards override these.
DEFAULT_LIMITS = CategoryLimits(
    MappingProxyType(
        {
            "accept": StepLimit(working_days(1), starts_at=Action.DISPATCH),
            "handle": StepLimit(working_days(5), starts_at=Action.DISPATCH),
        }
    )
)


# --- due moments -------------------------------------------------------------------------


def due_at(
    limits: CategoryLimits,
    step: str,
    started_at: datetime,
    calendar: WorkCalendar,
    suspended: Iterable[Interval] = (),
) -> datetime:
    """When `step`, whose clock started at `started_at`, is due, time suspended excluded.

    For a suspension still running, pass (its start, now): the due moment then moves with
    the clock stopped, so a case suspended before its due moment does not turn overdue
    while suspended (one suspended after it stays overdue).
    """
    return limit_end(limits.step(step).limit, started_at, calendar, suspended)


def limit_end(
    limit: Limit, started_at: datetime, calendar: WorkCalendar, suspended: Iterable[Interval] = ()
) -> datetime:
    """The end of `limit` from `started_at`; a suspension freezes the time left when it
    starts, and that time runs again from when it ends."""
    due = _plain_end(limit, started_at, calendar)
    for suspension_start, suspension_end in merged(suspended):
        if suspension_start >= due:
            break
        if suspension_end <= started_at:
            continue
        left = _time_left(limit.unit, max(suspension_start, started_at), due, calendar)
        due = _run_on(limit.unit, suspension_end, left, calendar)
    return due


def _plain_end(limit: Limit, started_at: datetime, calendar: WorkCalendar) -> datetime:
    if limit.unit is LimitUnit.WORKING_HOURS:
        return add_working_time(calendar, started_at, timedelta(hours=limit.amount))
    if limit.unit is LimitUnit.WORKING_DAYS:
        return add_working_days(calendar, started_at, limit.amount)
    return _calendar_days_end(limit.amount, started_at, calendar)


def _calendar_days_end(days: int, started_at: datetime, calendar: WorkCalendar) -> datetime:
    """The n-th day after the start day; if it is off, the next working day; at the end of
    that day's working hours."""
    zone = ZoneInfo(calendar.timezone)
    last_day = started_at.astimezone(zone).date() + timedelta(days=days)
    while not is_working_day(calendar, last_day):
        last_day += timedelta(days=1)
    closing = calendar.working_periods[-1][1]
    return datetime.combine(last_day, closing, tzinfo=zone).astimezone(UTC)


def _time_left(
    unit: LimitUnit, moment: datetime, due: datetime, calendar: WorkCalendar
) -> timedelta:
    if unit is LimitUnit.CALENDAR_DAYS:
        return due - moment
    return working_time_between(calendar, moment, due)


def _run_on(unit: LimitUnit, moment: datetime, left: timedelta, calendar: WorkCalendar) -> datetime:
    if unit is LimitUnit.CALENDAR_DAYS:
        return moment.astimezone(UTC) + left
    return add_working_time(calendar, moment, left)


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, overlapping intervals joined, so no time is excluded twice."""
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if end < start:
            raise ValueError(f"A suspension cannot end before it starts: {start} > {end}.")
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


# --- overdue and supervision -------------------------------------------------------------


def is_overdue(due: datetime | None, now: datetime) -> bool:
    """Past the due moment (strictly). The database query `due_at < now` is the same rule."""
    return due is not None and now > due


def supervision_level(*, yellow_at: datetime, red_at: datetime, now: datetime) -> SupervisionLevel:
    """The automatic level for a step whose thresholds are known."""
    if now > red_at:
        return SupervisionLevel.RED
    if now > yellow_at:
        return SupervisionLevel.YELLOW
    return SupervisionLevel.NONE


def automatic_supervision(
    limits: CategoryLimits,
    step: str,
    started_at: datetime,
    now: datetime,
    calendar: WorkCalendar,
    suspended: Iterable[Interval] = (),
) -> SupervisionLevel:
    """The yellow or red level the system raises for `step` at `now` (Tianque rule, §3.3)."""
    rule = limits.step(step)
    intervals = merged(suspended)
    return supervision_level(
        yellow_at=limit_end(rule.yellow, started_at, calendar, intervals),
        red_at=limit_end(rule.red, started_at, calendar, intervals),
        now=now,
    )
