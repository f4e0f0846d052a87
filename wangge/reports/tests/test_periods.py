"""Reporting periods and who owes them."""

import datetime

import pytest

from wangge.reports import periods
from wangge.reports.models import PeriodType, ReportForm, SensitivePeriod

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        (PeriodType.DAILY, D(2026, 12, 6), D(2026, 12, 6), D(2026, 12, 6)),
        (PeriodType.WEEKLY, D(2026, 12, 6), D(2026, 11, 30), D(2026, 12, 6)),
        (PeriodType.MONTHLY, D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
        (PeriodType.QUARTERLY, D(2026, 11, 5), D(2026, 10, 1), D(2026, 12, 31)),
        (PeriodType.YEARLY, D(2026, 7, 1), D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_the_period_containing_a_day(kind, day, start, end):  # type: ignore[no-untyped-def]
    assert periods.period_containing(kind, day) == periods.Period(start, end)
    assert periods.period_starting(kind, start) == periods.Period(start, end)


def test_a_week_starts_on_a_monday_only():
    assert periods.period_starting(PeriodType.WEEKLY, D(2026, 12, 1)) is None


@pytest.mark.django_db
def test_due_three_working_days_after_a_week_skips_the_weekend(staff_user):
    from django.utils import timezone

    form = ReportForm.objects.create(
        code="weekly",
        name="周报",
        period_type=PeriodType.WEEKLY,
        unit_levels=["village"],
        deadline_working_days=3,
        created_by=staff_user,
        created_at=timezone.now(),
    )
    week = periods.period_containing(PeriodType.WEEKLY, D(2026, 11, 30))
    due = timezone.localtime(periods.due_at(form, week))
    assert (due.date(), due.hour) == (D(2026, 12, 9), 18)


@pytest.mark.django_db
def test_a_daily_form_is_owed_only_in_a_sensitive_period_over_the_unit(staff_user):
    from django.utils import timezone

    form = ReportForm.objects.create(
        code="daily",
        name="日报",
        period_type=PeriodType.DAILY,
        unit_levels=["village"],
        deadline_working_days=0,
        created_by=staff_user,
        created_at=timezone.now(),
    )
    SensitivePeriod.objects.create(
        name="节前",
        starts_on=D(2026, 12, 28),
        ends_on=D(2027, 1, 2),
        form=form,
        region_prefixes=["620502001"],
        created_by=staff_user,
        created_at=timezone.now(),
    )
    owed = periods.periods_owed(form, "620502001001", D(2026, 12, 25), D(2026, 12, 31))
    assert [p.start for p in owed] == [
        D(2026, 12, 28),
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2026, 12, 31),
    ]
    assert periods.periods_owed(form, "620502103200", D(2026, 12, 25), D(2026, 12, 31)) == []
    assert not periods.owes(form, "620502001", periods.Period(D(2026, 12, 28), D(2026, 12, 28)))
