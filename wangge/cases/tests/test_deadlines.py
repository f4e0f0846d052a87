from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.cases.deadlines import (
    DEFAULT_LIMITS,
    CategoryLimits,
    StepLimit,
    automatic_supervision,
    calendar_days,
    due_at,
    is_overdue,
    merged,
    supervision_level,
    working_days,
    working_hours,
)
from wangge.cases.workcalendar import (
    WorkCalendar,
    calendar_from_chinese_calendar,
    working_time_between,
)
from wangge.cases.workflow import Action, SupervisionLevel

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Hand-built: 2027-05-01 (Sat) to 2027-05-05 (Wed) off; Saturday 2027-05-08 works.
MAY_2027 = WorkCalendar(
    holidays=frozenset(date(2027, 5, day) for day in range(1, 6)),
    adjusted_working_days=frozenset({date(2027, 5, 8)}),
)

# The example: dispatch within 1 working hour of registration, handle within
# 3 working days of dispatch.
STREET_LITTER = CategoryLimits(
    MappingProxyType(
        {
            "dispatch": StepLimit(working_hours(1), starts_at=Action.REGISTER),
            "handle": StepLimit(working_days(3), starts_at=Action.DISPATCH),
            "verify": StepLimit(working_hours(4), starts_at=Action.FEED_BACK),
        }
    )
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


# --- due moments -------------------------------------------------------------------------


def test_handling_dispatched_on_friday_before_a_holiday_is_due_on_the_adjusted_saturday() -> None:
    due = due_at(STREET_LITTER, "handle", local(2027, 4, 30, 16, 0), MAY_2027)
    assert due == local(2027, 5, 8, 18, 0)


def test_a_dispatch_limit_in_hours_runs_over_the_holiday() -> None:
    due = due_at(STREET_LITTER, "dispatch", local(2027, 4, 30, 17, 30), MAY_2027)
    assert due == local(2027, 5, 6, 9, 0)


def test_a_step_without_a_limit_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="No time limit for the step 'rate'"):
        due_at(STREET_LITTER, "rate", local(2027, 5, 6, 9, 0), MAY_2027)


def test_a_case_dispatched_before_national_day_2026_is_due_on_the_adjusted_saturday() -> None:
    # "Frozen time": the clock is the `now` passed in, so the test does not depend on today.
    calendar = calendar_from_chinese_calendar([2026])
    assert chinese_calendar.get_holiday_detail(date(2026, 10, 1)) == (True, "National Day")
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # a Saturday, as the package says
    due = due_at(STREET_LITTER, "handle", local(2026, 9, 30, 16, 0), calendar)
    assert due == local(2026, 10, 10, 18, 0)
    assert not is_overdue(due, now=local(2026, 10, 9, 17, 0))
    assert not is_overdue(due, now=local(2026, 10, 10, 18, 0))
    assert is_overdue(due, now=local(2026, 10, 10, 18, 0, 1))


def test_a_calendar_day_limit_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    petition = CategoryLimits(
        MappingProxyType({"handle": StepLimit(calendar_days(3), starts_at="accept")})
    )
    # Wed 28 April + 3 days = Sat 1 May, off until Wed 5 May; Thu 6 May is the last day.
    due = due_at(petition, "handle", local(2027, 4, 28, 9, 0), MAY_2027)
    assert due == local(2027, 5, 6, 18, 0)


# --- suspension --------------------------------------------------------------------------


def test_time_suspended_does_not_count_toward_the_deadline() -> None:
    limits = CategoryLimits(
        MappingProxyType({"handle": StepLimit(working_hours(7), starts_at=Action.DISPATCH)})
    )
    start = local(2027, 5, 6, 8, 30)
    assert due_at(limits, "handle", start, MAY_2027) == local(2027, 5, 6, 18, 0)
    # Suspended Thu 10:00 to Fri 10:00: 5.5 working hours were left, and run again from Fri 10:00.
    suspended = [(local(2027, 5, 6, 10, 0), local(2027, 5, 7, 10, 0))]
    assert due_at(limits, "handle", start, MAY_2027, suspended) == local(2027, 5, 7, 18, 0)


def test_overlapping_suspensions_are_excluded_once() -> None:
    limits = CategoryLimits(
        MappingProxyType({"handle": StepLimit(working_hours(7), starts_at=Action.DISPATCH)})
    )
    suspended = [
        (local(2027, 5, 6, 10, 30), local(2027, 5, 6, 11, 30)),
        (local(2027, 5, 6, 10, 0), local(2027, 5, 6, 11, 0)),
    ]
    due = due_at(limits, "handle", local(2027, 5, 6, 8, 30), MAY_2027, suspended)
    assert due == local(2027, 5, 7, 10, 0)  # 1.5 h lost: Thu 18:00 becomes Fri 10:00


def test_suspensions_before_the_clock_starts_or_after_the_due_moment_change_nothing() -> None:
    start = local(2027, 5, 6, 8, 30)
    plain = due_at(STREET_LITTER, "handle", start, MAY_2027)
    before = (local(2027, 4, 29, 9, 0), local(2027, 4, 29, 17, 0))
    after = (plain + timedelta(minutes=1), plain + timedelta(days=3))
    assert due_at(STREET_LITTER, "handle", start, MAY_2027, [before, after]) == plain


def test_a_case_suspended_in_time_does_not_turn_overdue_while_suspended() -> None:
    start = local(2027, 5, 6, 8, 30)
    suspended_at = local(2027, 5, 7, 9, 0)
    for now in (local(2027, 5, 12, 9, 0), local(2027, 6, 30, 9, 0)):
        due = due_at(STREET_LITTER, "handle", start, MAY_2027, [(suspended_at, now)])
        assert not is_overdue(due, now)


def test_a_suspension_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot end before it starts"):
        merged([(local(2027, 5, 6, 10, 0), local(2027, 5, 6, 9, 0))])


# --- overdue and supervision -------------------------------------------------------------


def test_a_step_without_a_due_moment_is_never_overdue() -> None:
    assert not is_overdue(None, local(2027, 5, 6, 9, 0))


def test_the_thresholds_themselves_are_still_in_time() -> None:
    yellow_at, red_at = local(2027, 5, 6, 18, 0), local(2027, 5, 12, 18, 0)
    assert supervision_level(yellow_at=yellow_at, red_at=red_at, now=yellow_at) == (
        SupervisionLevel.NONE
    )
    assert supervision_level(yellow_at=yellow_at, red_at=red_at, now=red_at) == (
        SupervisionLevel.YELLOW
    )


def test_handling_turns_yellow_after_five_working_days_and_red_after_ten_by_default() -> None:
    # Dispatched Mon 26 April. Working days after it: 27, 28, 29, 30 April, then (1-5 May
    # off) 6 May is the 5th; 7, 8 (adjusted Saturday), 10, 11, 12 May is the 10th.
    start = local(2027, 4, 26, 10, 0)

    def level_at(*moment: int) -> SupervisionLevel:
        return automatic_supervision(DEFAULT_LIMITS, "handle", start, local(*moment), MAY_2027)

    assert level_at(2027, 5, 6, 18, 0) == SupervisionLevel.NONE
    assert level_at(2027, 5, 7, 8, 31) == SupervisionLevel.YELLOW
    assert level_at(2027, 5, 12, 18, 0) == SupervisionLevel.YELLOW
    assert level_at(2027, 5, 13, 8, 31) == SupervisionLevel.RED


def test_acceptance_turns_yellow_after_one_working_day_by_default() -> None:
    start = local(2027, 4, 30, 16, 0)  # Friday before the holiday: Thu 6 May is day one
    level = automatic_supervision(
        DEFAULT_LIMITS, "accept", start, local(2027, 5, 7, 9, 0), MAY_2027
    )
    assert level == SupervisionLevel.YELLOW


def test_a_category_sets_its_own_supervision_thresholds() -> None:
    urgent = CategoryLimits(
        MappingProxyType(
            {
                "handle": StepLimit(
                    working_hours(2),
                    starts_at=Action.DISPATCH,
                    yellow_after=working_hours(1),
                    red_after=working_hours(3),
                )
            }
        )
    )
    start = local(2027, 5, 6, 8, 30)  # yellow after 09:30, red after 11:30
    expected = {
        (9, 30): SupervisionLevel.NONE,
        (9, 31): SupervisionLevel.YELLOW,
        (11, 30): SupervisionLevel.YELLOW,
        (11, 31): SupervisionLevel.RED,
    }
    for (hour, minute), level in expected.items():
        now = local(2027, 5, 6, hour, minute)
        assert automatic_supervision(urgent, "handle", start, now, MAY_2027) == level, now


def test_suspended_time_also_delays_supervision() -> None:
    start = local(2027, 4, 26, 10, 0)
    suspended = [(local(2027, 4, 27, 8, 30), local(2027, 4, 28, 8, 30))]  # one working day
    level = automatic_supervision(
        DEFAULT_LIMITS, "handle", start, local(2027, 5, 7, 9, 0), MAY_2027, suspended
    )
    assert level == SupervisionLevel.NONE


# --- properties --------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2027, 4, 1), max_value=datetime(2027, 6, 1), timezones=st.just(SHANGHAI)
)
SUSPENSIONS = st.lists(
    st.tuples(STARTS, st.integers(min_value=0, max_value=72 * 60)).map(
        lambda pair: (pair[0], pair[0] + timedelta(minutes=pair[1]))
    ),
    max_size=4,
)


@settings(max_examples=200)
@given(start=STARTS, hours=st.integers(min_value=1, max_value=80), suspended=SUSPENSIONS)
def test_working_time_to_the_deadline_is_the_limit_plus_the_working_time_suspended(
    start: datetime, hours: int, suspended: list[tuple[datetime, datetime]]
) -> None:
    limits = CategoryLimits(
        MappingProxyType({"handle": StepLimit(working_hours(hours), starts_at=Action.DISPATCH)})
    )
    due = due_at(limits, "handle", start, MAY_2027, suspended)
    lost = sum(
        (
            working_time_between(MAY_2027, max(begin, start), min(end, due))
            for begin, end in merged(suspended)
            if min(end, due) > max(begin, start)
        ),
        timedelta(0),
    )
    assert working_time_between(MAY_2027, start, due) == timedelta(hours=hours) + lost


@settings(max_examples=200)
@given(start=STARTS, days=st.integers(min_value=1, max_value=20), suspended=SUSPENSIONS)
def test_a_suspension_never_brings_a_deadline_forward(
    start: datetime, days: int, suspended: list[tuple[datetime, datetime]]
) -> None:
    limits = CategoryLimits(
        MappingProxyType({"handle": StepLimit(working_days(days), starts_at=Action.DISPATCH)})
    )
    plain = due_at(limits, "handle", start, MAY_2027)
    assert due_at(limits, "handle", start, MAY_2027, suspended) >= plain


def test_deadlines_are_returned_in_utc() -> None:
    due = due_at(STREET_LITTER, "verify", local(2027, 5, 6, 17, 0), MAY_2027)
    assert due.tzinfo == UTC
    assert due.astimezone(SHANGHAI).time() == time(11, 30)
