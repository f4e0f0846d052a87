"""Administering the case engine: the work calendar (days, confirmed years, working hours)
and the dispatch rules. Each write is one transaction with its audit entry; bad input raises
`ValidationError` (by field) and writes nothing."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Department
from wangge.audit.services import record
from wangge.cases import calendar
from wangge.cases.models import (
    CalendarDay,
    CalendarDayKind,
    CalendarYear,
    Category,
    DispatchRule,
    WorkingHours,
)
from wangge.cases.workcalendar import CalendarError, chinese_calendar_years
from wangge.core.scope import user_scope
from wangge.regions.models import Region

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_checked(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                field: _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    return year


def _day_checked(day: date, kind: str, name: str) -> None:
    year_checked(day.year, "day")
    if kind not in CalendarDayKind.values:
        raise ValidationError({"kind": _("Choose a holiday or an adjusted working day.")})
    weekend = day.weekday() >= 5
    if kind == CalendarDayKind.HOLIDAY and weekend:
        raise ValidationError({"day": _("This is a Saturday or Sunday: it is off anyway.")})
    if kind == CalendarDayKind.WORKDAY and not weekend:
        raise ValidationError(
            {"day": _("Only a Saturday or Sunday can be an adjusted working day.")}
        )
    if len(name) > 40:
        raise ValidationError({"name": _("The name is too long (at most 40 characters).")})


def calendar_day_set(
    *, actor: Any, day: date, kind: str, name: str = "", request: HttpRequest | None = None
) -> CalendarDay:
    """Make `day` a holiday (a weekday off) or an adjusted working day (a weekend day worked)."""
    name = name.strip()
    _day_checked(day, kind, name)
    with transaction.atomic():
        row, _created = CalendarDay.objects.update_or_create(
            day=day, defaults={"kind": kind, "name": name}
        )
        calendar.touch()
        record(
            actor=actor,
            action="cases.calendar_day_set",
            target=row,
            details={"day": day.isoformat(), "kind": kind, "name": name},
            request=request,
        )
    return row


def calendar_day_remove(*, actor: Any, day: date, request: HttpRequest | None = None) -> None:
    """Make `day` an ordinary day again."""
    with transaction.atomic():
        row = CalendarDay.objects.filter(day=day).first()
        if row is None:
            raise ValidationError({"day": _("This day is not in the calendar.")})
        details = {"day": day.isoformat(), "kind": row.kind, "name": row.name}
        row.delete()
        calendar.touch()
        record(actor=actor, action="cases.calendar_day_remove", details=details, request=request)


def calendar_year_confirm(
    *, actor: Any, year: int, request: HttpRequest | None = None
) -> CalendarYear:
    """An administrator has checked the year against the State Council's notice."""
    year_checked(year)
    with transaction.atomic():
        row, _created = CalendarYear.objects.get_or_create(year=year)
        row.confirmed = True
        row.confirmed_by = actor
        row.confirmed_at = timezone.now()
        row.source = row.source or "manual"
        row.save()
        calendar.touch()
        record(
            actor=actor,
            action="cases.calendar_year_confirm",
            target=row,
            details={"year": year, "source": row.source},
            request=request,
        )
    return row


def calendar_year_seed(
    *, actor: Any, year: int, request: HttpRequest | None = None
) -> CalendarYear:
    """Take the year's official holidays and adjusted working days from the installed
    `chinesecalendar`; refused for a year the package does not know."""
    year_checked(year)
    if year not in chinese_calendar_years():
        raise ValidationError(
            {
                "year": _(
                    "The installed chinesecalendar package does not know %(year)s: "
                    "enter the State Council's notice by hand."
                )
                % {"year": year}
            }
        )
    with transaction.atomic():
        calendar.seed_years([year])
        row = CalendarYear.objects.get(year=year)
        row.confirmed_by = actor
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_by", "confirmed_at"])
        record(
            actor=actor,
            action="cases.calendar_year_seed",
            target=row,
            details={"year": year, "source": row.source},
            request=request,
        )
    return row


def working_hours_set(
    *, actor: Any, periods: str, request: HttpRequest | None = None
) -> WorkingHours:
    try:
        parsed = calendar.parse_periods(periods)
    except CalendarError as error:
        if error.code == "periods_format":
            text = _("Write working hours as 08:30-12:00,14:30-18:00.")
        else:
            text = _(
                "Each period must start before it ends, and the periods must be in order "
                "without overlapping."
            )
        raise ValidationError({"periods": text}) from None
    with transaction.atomic():
        row = WorkingHours.objects.order_by("id").first() or WorkingHours()
        before = row.periods if row.pk else ""
        row.periods = calendar.format_periods(parsed)
        row.save()  # moves `changed_at`: every process rebuilds its calendar
        record(
            actor=actor,
            action="cases.working_hours_set",
            target=row,
            details={"from": before, "to": row.periods},
            request=request,
        )
    return row


def dispatch_rule_add(
    *,
    actor: Any,
    category_prefix: str,
    region_prefix: str,
    department_id: int | None,
    request: HttpRequest | None = None,
) -> DispatchRule:
    """Category (code or class) in region → unit. The region must lie in the actor's reach;
    one outside it reads as unknown."""
    category_prefix, region_prefix = category_prefix.strip().upper(), region_prefix.strip()
    errors = {}
    if not Category.objects.filter(code=category_prefix).exists():
        errors["category_prefix"] = _("There is no case category with this code.")
    region_known = Region.objects.filter(code=region_prefix).exists()
    if not region_known or not user_scope(actor).covers(region_prefix):
        errors["region_prefix"] = _("There is no such region within your reach.")
    department = Department.objects.filter(pk=department_id).first() if department_id else None
    if department is None:
        errors["department"] = _("Choose a unit from the list.")
    if (
        not errors
        and DispatchRule.objects.filter(
            category_prefix=category_prefix, region_prefix=region_prefix
        ).exists()
    ):
        errors["category_prefix"] = _("A rule for this category and region already exists.")
    if errors:
        raise ValidationError(errors)
    assert department is not None
    with transaction.atomic():
        rule = DispatchRule.objects.create(
            category_prefix=category_prefix, region_prefix=region_prefix, department=department
        )
        record(
            actor=actor,
            action="cases.dispatch_rule_add",
            target=rule,
            details=_rule_details(rule),
            request=request,
            region_code=region_prefix,
        )
    return rule


def dispatch_rule_delete(
    *, actor: Any, rule: DispatchRule, request: HttpRequest | None = None
) -> None:
    details = _rule_details(rule)
    with transaction.atomic():
        record(
            actor=actor,
            action="cases.dispatch_rule_delete",
            target=rule,
            details=details,
            request=request,
            region_code=rule.region_prefix,
        )
        rule.delete()


def _rule_details(rule: DispatchRule) -> dict[str, Any]:
    return {
        "category_prefix": rule.category_prefix,
        "region_prefix": rule.region_prefix,
        "department": rule.department.code,
    }
