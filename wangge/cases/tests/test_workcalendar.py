from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.cases.workcalendar import (
    CalendarError,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    add_working_time,
    calendar_from_chinese_calendar,
    chinese_calendar_years,
    is_confirmed_year,
    is_working_day,
    is_working_moment,
    working_time_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Hand-built, so the expected results below are worked out by hand, not by the code under test:
# 2027-05-01 (Sat) to 2027-05-05 (Wed) off; Saturday 2027-05-08 is an adjusted working day.
MAY_2027 = WorkCalendar(
    holidays=frozenset(date(2027, 5, day) for day in range(1, 6)),
    adjusted_working_days=frozenset({date(2027, 5, 8)}),
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


# --- working days ------------------------------------------------------------------------


def test_weekdays_work_and_weekends_rest_in_an_empty_calendar() -> None:
    calendar = WorkCalendar()
    assert is_working_day(calendar, date(2027, 4, 30))  # Friday
    assert not is_working_day(calendar, date(2027, 5, 1))  # Saturday


def test_a_holiday_on_a_weekday_is_off_and_an_adjusted_saturday_is_working() -> None:
    assert not is_working_day(MAY_2027, date(2027, 5, 3))  # Monday, holiday
    assert is_working_day(MAY_2027, date(2027, 5, 8))  # Saturday, adjusted


def test_three_working_days_from_friday_before_a_holiday_end_on_the_adjusted_saturday() -> None:
    # Friday 30 April is not counted; 1-5 May are off; Thu 6 (1), Fri 7 (2), Sat 8 (3).
    due = add_working_days(MAY_2027, local(2027, 4, 30, 16, 0), 3)
    assert due == local(2027, 5, 8, 18, 0)
    assert due.tzinfo == UTC


def test_the_start_day_is_not_counted_even_when_work_starts_before_opening() -> None:
    assert add_working_days(MAY_2027, local(2027, 5, 6, 7, 0), 1) == local(2027, 5, 7, 18, 0)


def test_zero_working_days_leaves_the_start_unchanged() -> None:
    assert add_working_days(MAY_2027, local(2027, 5, 6, 7, 0), 0) == local(2027, 5, 6, 7, 0)


# --- working hours -----------------------------------------------------------------------


def test_five_working_hours_from_friday_four_pm_skip_the_weekend_and_the_holiday() -> None:
    # Fri 16:00-18:00 is 2 h; the next working day is Thu 6 May: 08:30 + 3 h.
    due = add_working_hours(MAY_2027, local(2027, 4, 30, 16, 0), 5)
    assert due == local(2027, 5, 6, 11, 30)


def test_working_hours_run_into_an_adjusted_saturday_and_stop_at_the_end_of_the_morning() -> None:
    # Fri 7 May 17:00-18:00 is 1 h; Sat 8 May 08:30-12:00 is 3.5 h.
    assert add_working_hours(MAY_2027, local(2027, 5, 7, 17, 0), 4.5) == local(2027, 5, 8, 12, 0)


def test_a_deadline_started_at_lunch_counts_from_the_afternoon_opening() -> None:
    assert add_working_hours(MAY_2027, local(2027, 5, 6, 12, 40), 1) == local(2027, 5, 6, 15, 30)


def test_a_deadline_started_at_night_counts_from_the_next_morning() -> None:
    assert add_working_hours(MAY_2027, local(2027, 5, 6, 20, 0), 2) == local(2027, 5, 7, 10, 30)


def test_a_deadline_started_on_sunday_counts_from_monday_morning() -> None:
    assert add_working_hours(MAY_2027, local(2027, 5, 9, 10, 0), 1) == local(2027, 5, 10, 9, 30)


def test_working_time_between_counts_only_working_periods() -> None:
    spent = working_time_between(MAY_2027, local(2027, 4, 30, 16, 0), local(2027, 5, 6, 11, 30))
    assert spent == timedelta(hours=5)


def test_working_time_between_is_negative_when_the_end_comes_first() -> None:
    spent = working_time_between(MAY_2027, local(2027, 5, 6, 11, 30), local(2027, 4, 30, 16, 0))
    assert spent == -timedelta(hours=5)


def test_working_hours_are_configurable() -> None:
    calendar = WorkCalendar(working_periods=((time(9, 0), time(17, 0)),))
    assert add_working_hours(calendar, local(2027, 5, 6, 16, 0), 2) == local(2027, 5, 7, 10, 0)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(CalendarError) as error:
        add_working_hours(MAY_2027, datetime(2027, 5, 6, 9, 0), 1)
    assert error.value.code == "naive_datetime"


def test_overlapping_working_periods_are_refused() -> None:
    with pytest.raises(CalendarError) as error:
        WorkCalendar(working_periods=((time(8), time(12)), (time(11), time(18))))
    assert error.value.code == "bad_working_periods"


def test_a_date_both_off_and_working_is_refused() -> None:
    with pytest.raises(CalendarError) as error:
        WorkCalendar(
            holidays=frozenset({date(2027, 5, 8)}),
            adjusted_working_days=frozenset({date(2027, 5, 8)}),
        )
    assert error.value.code == "holiday_and_working_day"


def test_a_calendar_without_working_days_says_so_instead_of_looping() -> None:
    never = WorkCalendar(
        holidays=frozenset(date(2027, 1, 1) + timedelta(days=i) for i in range(3700)),
    )
    with pytest.raises(CalendarError) as error:
        add_working_hours(never, local(2027, 1, 1, 9, 0), 1)
    assert error.value.code == "no_working_time"


# --- the official 2026 schedule from chinesecalendar --------------------------------------


def official_working_days_after(start: date, count: int) -> date:
    """The count-th working day after start, as the package itself says."""
    day = start
    while count:
        day += timedelta(days=1)
        count -= int(chinese_calendar.is_workday(day))
    return day


def test_the_installed_chinesecalendar_knows_2026() -> None:
    assert 2026 in chinese_calendar_years()


def test_a_year_the_package_does_not_know_is_a_clear_error() -> None:
    unknown = max(chinese_calendar_years()) + 1
    with pytest.raises(CalendarError) as error:
        calendar_from_chinese_calendar([2026, unknown])
    assert error.value.code == "year_unknown"
    assert str(unknown) in error.value.message


def test_the_loaded_calendar_agrees_with_the_package_every_day_of_2026() -> None:
    calendar = calendar_from_chinese_calendar([2026])
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert is_working_day(calendar, day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert is_confirmed_year(calendar, 2026)
    assert not is_confirmed_year(calendar, 2027)


def test_three_working_days_across_national_day_2026_end_on_the_adjusted_working_saturday() -> None:
    calendar = calendar_from_chinese_calendar([2026])
    start = local(2026, 9, 30, 16, 0)
    expected_day = official_working_days_after(date(2026, 9, 30), 3)
    # The package's own schedule: 1-7 October off, Saturday 10 October a working day.
    assert chinese_calendar.get_holiday_detail(date(2026, 10, 1)) == (True, "National Day")
    assert chinese_calendar.is_workday(date(2026, 10, 10))
    assert expected_day == date(2026, 10, 10)
    assert add_working_days(calendar, start, 3) == local(2026, 10, 10, 18, 0)


def test_working_hours_from_the_friday_before_mid_autumn_use_the_adjusted_working_sunday() -> None:
    calendar = calendar_from_chinese_calendar([2026])
    # Sunday 20 September 2026 is a working day in the official notice (as the package says).
    assert date(2026, 9, 20).weekday() == 6
    assert chinese_calendar.is_workday(date(2026, 9, 20))
    due = add_working_hours(calendar, local(2026, 9, 18, 16, 0), 4)
    assert due == local(2026, 9, 20, 10, 30)


def test_working_hours_across_mid_autumn_and_national_day_2026_match_the_package() -> None:
    calendar = calendar_from_chinese_calendar([2026])
    start = local(2026, 9, 24, 17, 0)  # Thursday before the Mid-Autumn holiday
    # 1 h on the 24th, then 7 h per working day: 1 + 3 * 7 = 22 h ends the third working day.
    due = add_working_hours(calendar, start, 22)
    third_day = official_working_days_after(date(2026, 9, 24), 3)
    assert due == datetime.combine(third_day, time(18, 0), tzinfo=SHANGHAI)
    assert chinese_calendar.get_holiday_detail(date(2026, 9, 25)) == (True, "Mid-autumn Festival")


# --- properties --------------------------------------------------------------------------

CALENDARS = st.sampled_from(
    [
        MAY_2027,
        calendar_from_chinese_calendar([2026]),
        WorkCalendar(working_periods=((time(9), time(17)),)),
    ]
)
STARTS = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 6, 30),
    timezones=st.sampled_from([SHANGHAI, UTC]),
)
DURATIONS = st.integers(min_value=0, max_value=120 * 60).map(
    lambda minutes: timedelta(minutes=minutes)
)


@settings(max_examples=300)
@given(calendar=CALENDARS, start=STARTS, first=DURATIONS, second=DURATIONS)
def test_adding_working_time_in_two_steps_equals_adding_it_at_once(
    calendar: WorkCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    in_two = add_working_time(calendar, add_working_time(calendar, start, first), second)
    assert in_two == add_working_time(calendar, start, first + second)


@settings(max_examples=300)
@given(calendar=CALENDARS, start=STARTS, duration=DURATIONS)
def test_working_time_between_start_and_deadline_is_the_time_added(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    due = add_working_time(calendar, start, duration)
    assert working_time_between(calendar, start, due) == duration


@settings(max_examples=300)
@given(calendar=CALENDARS, start=STARTS, duration=DURATIONS.filter(bool))
def test_a_deadline_of_some_working_time_always_falls_inside_working_hours(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    assert is_working_moment(calendar, add_working_time(calendar, start, duration))


@settings(max_examples=200)
@given(calendar=CALENDARS, start=STARTS, days=st.integers(min_value=1, max_value=30))
def test_a_deadline_in_working_days_ends_a_working_day_after_the_start_day(
    calendar: WorkCalendar, start: datetime, days: int
) -> None:
    due = add_working_days(calendar, start, days)
    local_due = due.astimezone(SHANGHAI)
    assert is_working_day(calendar, local_due.date())
    assert local_due.time() == calendar.working_periods[-1][1]
    assert local_due.date() > start.astimezone(SHANGHAI).date()
