"""Reads for the case engine's administration pages: a year of the work calendar, and the
dispatch rules within an administrator's reach (out of reach is 404)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation

from wangge.cases.models import (
    CalendarDay,
    CalendarDayKind,
    CalendarYear,
    DispatchRule,
    WorkingHours,
)
from wangge.cases.workcalendar import DEFAULT_WORKING_PERIODS, chinese_calendar_years
from wangge.core.scope import get_for, scope_q, user_scope


@dataclass(frozen=True)
class Day:
    day: date
    kind: str
    name: str


@dataclass(frozen=True)
class YearView:
    year: int
    row: CalendarYear | None
    holidays: list[Day]
    workdays: list[Day]
    package_knows: bool

    @property
    def confirmed(self) -> bool:
        return self.row is not None and self.row.confirmed


def official_name(day: date) -> str:
    """The holiday's name from `chinesecalendar`, in Chinese on Chinese pages; "" if none."""
    import chinese_calendar

    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not know
        return ""
    if not name:
        return ""
    if not translation.get_language().startswith("zh"):
        return str(name)
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return str(holiday.chinese)
    return str(name)


def calendar_year(year: int) -> YearView:
    rows = CalendarDay.objects.filter(day__year=year).order_by("day")
    days = [Day(row.day, row.kind, row.name or official_name(row.day)) for row in rows]
    return YearView(
        year=year,
        row=CalendarYear.objects.select_related("confirmed_by").filter(year=year).first(),
        holidays=[day for day in days if day.kind == CalendarDayKind.HOLIDAY],
        workdays=[day for day in days if day.kind == CalendarDayKind.WORKDAY],
        package_knows=year in chinese_calendar_years(),
    )


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))


def working_hours() -> str:
    row = WorkingHours.objects.order_by("id").first()
    if row is not None:
        return row.periods
    return ",".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in DEFAULT_WORKING_PERIODS)


def dispatch_rules_visible_to(user: Any) -> QuerySet[DispatchRule]:
    """Rules whose region lies within the user's reach."""
    return (
        DispatchRule.objects.filter(scope_q(user_scope(user), field="region_prefix"))
        .select_related("department")
        .order_by("region_prefix", "category_prefix")
    )


def dispatch_rule_get_for(user: Any, pk: object, request: HttpRequest | None) -> DispatchRule:
    return get_for(
        user,
        DispatchRule.objects.select_related("department"),
        pk,
        field="region_prefix",
        request=request,
    )
