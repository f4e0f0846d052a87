"""Deadlines on the stored work calendar, with the clock set through the services' `now=`:
a case dispatched before the 2026 National Day holiday is due after it, counting the
adjusted working Saturday; a day an administrator adds as a holiday moves the due moment of
cases dispatched afterwards.

The 2026 dates are those of the installed chinesecalendar (the State Council's notice): the
Mid-Autumn Festival on Friday 25 September (25–27 off), National Day 1–7 October, and the
Sundays 20 September and Saturday 10 October worked instead.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.urls import reverse

from wangge.cases import calendar, services
from wangge.cases.models import CalendarDay
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY
from wangge.cases.workflow import Action

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def official_2026(db):  # type: ignore[no-untyped-def]
    """The stored calendar holds the official 2026 schedule (as `migrate` seeds it)."""
    calendar.seed_years([2026])
    assert chinese_calendar.is_holiday(date(2026, 10, 1))
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # a Saturday worked
    assert chinese_calendar.is_workday(date(2026, 9, 20))  # a Sunday worked
    assert chinese_calendar.is_holiday(date(2026, 9, 25))  # Mid-Autumn, a Friday


def dispatched(worker, dispatcher, point, moment):  # type: ignore[no-untyped-def]
    data = ReportInput(
        category_code=URBAN_CATEGORY, description="路边垃圾堆积", lon=point[0], lat=point[1]
    )
    case = services.report(worker, data, now=moment)
    case = services.act(case.pk, dispatcher, ActionInput(Action.REGISTER, case.version), now=moment)
    return services.act(case.pk, dispatcher, ActionInput(Action.DISPATCH, case.version), now=moment)


def test_a_case_dispatched_before_national_day_skips_the_holiday_and_counts_the_saturday_worked(  # type: ignore[no-untyped-def]
    official_2026, grid_worker_a, dispatcher, urban_handler, grid_point
):
    case = dispatched(grid_worker_a, dispatcher, grid_point, at("2026-09-30T10:00"))

    # Five working days, the dispatch day not counted: 1–7 October are off; Thursday 8,
    # Friday 9, Saturday 10 (worked), Monday 12 and Tuesday 13 October count.
    assert case.due_at == at("2026-10-13T18:00")
    assert case.tasks.get(lead=True).due_at == case.due_at
    # On weekends alone it would have been Wednesday 7 October, in the middle of the holiday.
    assert case.due_at != at("2026-10-07T18:00")


def test_a_sunday_worked_counts_and_the_mid_autumn_friday_does_not(  # type: ignore[no-untyped-def]
    official_2026, grid_worker_a, dispatcher, urban_handler, grid_point
):
    case = dispatched(grid_worker_a, dispatcher, grid_point, at("2026-09-18T16:00"))

    # Sunday 20 (worked), Monday 21 … Thursday 24 September: due before the festival.
    assert case.due_at == at("2026-09-24T18:00")


def test_a_holiday_added_on_the_calendar_page_moves_the_due_moment_of_new_cases(  # type: ignore[no-untyped-def]
    official_2026, grid_worker_a, dispatcher, urban_handler, grid_point, district_admin, client
):
    before = dispatched(grid_worker_a, dispatcher, grid_point, at("2026-09-30T10:00"))
    client.force_login(district_admin)

    response = client.post(
        reverse("cases:calendar_day_add"),
        {"day": "2026-10-12", "kind": "holiday", "name": "临时休假"},
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get(day=date(2026, 10, 12)).kind == "holiday"
    after = dispatched(grid_worker_a, dispatcher, grid_point, at("2026-09-30T10:00"))
    assert after.due_at == at("2026-10-14T18:00")  # Monday 12 October no longer counts
    before.refresh_from_db()
    assert before.due_at == at("2026-10-13T18:00")  # a case already running keeps its moment


def test_a_deadline_in_a_year_not_yet_confirmed_is_provisional(official_2026):  # type: ignore[no-untyped-def]
    assert not calendar.provisional(at("2026-10-13T18:00"))
    assert calendar.provisional(at("2030-01-07T18:00"))
