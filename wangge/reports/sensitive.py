"""Sensitive periods (敏感时期): declaring them, the day's obligations and missing list, and the
evening reminders and morning missing lists.

An administrator declares a date range, the daily form to submit and optionally the units
(region-code prefixes; none means every unit of the form's levels). No obligation rows are
written: who owes what on which day is `periods.owes` / `periods.periods_owed`, read from
the declared periods. A unit has reported a day when its submission of the form for that
day is submitted or approved (a zero report counts, and is shown as one); a draft or a
returned report is still missing.

Reminders (`reports_remind`): in the evening, every unit that owes a daily report due
tomorrow and has not submitted it is reminded (its people holding `reports.submit_report`);
in the morning, the parent of each unit whose report fell due yesterday without being
submitted receives the missing list (its people holding `reports.view_report_rollup`).
Each message goes out once: a run repeated the same evening or morning tells nobody twice.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.cases.models import Notification
from wangge.core.scope import user_scope
from wangge.regions.models import Region
from wangge.reports import periods
from wangge.reports.models import (
    PeriodType,
    ReportForm,
    SensitivePeriod,
    Submission,
    SubmissionState,
)
from wangge.reports.special import holders_of, users_notify

DEFINE = "reports.define_reportform"
ROLLUP = "reports.view_report_rollup"
SUBMIT = "reports.submit_report"
MAX_DAYS = 92
NAME_MAX = 100
REPORTED = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
# How far before its deadline a daily report's day may lie (deadline working days plus the
# longest run of holidays); days further back are not looked at for reminders.
DEADLINE_REACH_DAYS = 40
MISSING_NAMES_SHOWN = 20


# --- declaring --------------------------------------------------------------------------------


@dataclass
class SensitiveInput:
    name: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    form_id: int | None
    region_prefixes: list[str]


def prefixes_parsed(text: str) -> list[str]:
    """Region codes typed one per line or separated by commas or spaces, in order, once."""
    return list(dict.fromkeys(part for part in re.split(r"[\s,，、;；]+", text) if part))


def form_checked(form_id: int | None) -> ReportForm:
    form = ReportForm.objects.filter(pk=form_id, active=True).first() if form_id else None
    if form is None:
        raise ValidationError({"form": _("Choose the daily report form to submit.")})
    if form.period_type != PeriodType.DAILY:
        raise ValidationError(
            {"form": _("A sensitive period needs a daily form; this form is not daily.")}
        )
    return form


def dates_checked(data: SensitiveInput, today: datetime.date) -> None:
    if data.starts_on is None or data.ends_on is None:
        raise ValidationError({"starts_on": _("Give the first and the last day.")})
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if (data.ends_on - data.starts_on).days + 1 > MAX_DAYS:
        raise ValidationError({"ends_on": _("A sensitive period lasts at most 92 days.")})
    if data.ends_on < today:
        raise ValidationError({"ends_on": _("This period is already over.")})


def prefixes_checked(actor: Any, form: ReportForm, prefixes: list[str]) -> list[str]:
    """Each code an existing region within the person's reach, at or above the form's units."""
    deepest = max((periods.unit_length(level) for level in form.unit_levels), default=0)
    known = set(Region.objects.filter(code__in=prefixes).values_list("code", flat=True))
    scope = user_scope(actor)
    for code in prefixes:
        if code not in known:
            raise ValidationError({"units": _("%(code)s is not a region code.") % {"code": code}})
        if not scope.covers(code):
            raise ValidationError({"units": _("%(code)s is outside your area.") % {"code": code}})
        if len(code) > deepest:
            raise ValidationError(
                {
                    "units": _("%(code)s lies below the units that submit this form.")
                    % {"code": code}
                }
            )
    return prefixes


def sensitive_period_create(
    *,
    actor: Any,
    data: SensitiveInput,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> SensitivePeriod:
    now = now or timezone.now()
    if not actor.has_perm(DEFINE):
        raise PermissionDenied
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": _("Give the sensitive period a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("The name is too long (at most 100 characters).")})
    dates_checked(data, timezone.localdate(now))
    form = form_checked(data.form_id)
    prefixes = prefixes_checked(actor, form, data.region_prefixes)
    assert data.starts_on is not None and data.ends_on is not None
    with transaction.atomic():
        sensitive = SensitivePeriod.objects.create(
            name=name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            form=form,
            region_prefixes=prefixes,
            created_by=actor,
            created_at=now,
        )
        record(
            actor=actor,
            action="reports.sensitive_period_create",
            target=sensitive,
            details={
                "form": form.code,
                "from": data.starts_on.isoformat(),
                "to": data.ends_on.isoformat(),
                "units": prefixes,
            },
            request=request,
            region_code=settings.WANGGE_ROOT_REGION,
        )
    return sensitive


# --- reading ----------------------------------------------------------------------------------


def covers(sensitive: SensitivePeriod, unit_code: str) -> bool:
    """The rule of `periods.sensitive_days`, for periods already read."""
    prefixes = sensitive.region_prefixes or []
    return not prefixes or any(unit_code.startswith(prefix) for prefix in prefixes)


def reaches(sensitive: SensitivePeriod, scope_codes: Iterable[str], unlimited: bool) -> bool:
    """Whether the period concerns any unit within the person's reach."""
    prefixes = sensitive.region_prefixes or []
    if unlimited or not prefixes:
        return True
    return any(p.startswith(c) or c.startswith(p) for p in prefixes for c in scope_codes)


def sensitive_periods_visible_to(user: Any) -> list[SensitivePeriod]:
    """The periods that concern units within the person's reach, latest first."""
    scope = user_scope(user)
    every = SensitivePeriod.objects.select_related("form", "created_by").order_by(
        "-starts_on", "-pk"
    )
    return [each for each in every if reaches(each, scope.region_codes, scope.unlimited)]


def running_on(day: datetime.date) -> list[SensitivePeriod]:
    return list(
        SensitivePeriod.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .select_related("form")
        .order_by("form__code", "pk")
    )


def units_owing_on(form: ReportForm, day: datetime.date, within: str = "") -> list[Region]:
    """The units under `within` that owe the daily form on `day` (as `periods.owes` says, with
    the day's periods read once instead of once per unit)."""
    running = [each for each in running_on(day) if each.form_id == form.pk]
    if not running:
        return []
    return [
        unit
        for unit in periods.units_owing(form, within)
        if any(covers(each, unit.code) for each in running)
    ]


def submissions_of(form: ReportForm, day: datetime.date, codes: list[str]) -> dict[str, Any]:
    rows = Submission.objects.filter(
        form=form, period_start=day, region_code__in=codes
    ).select_related("submitted_by")
    return {row.region_code: row for row in rows}


@dataclass
class UnitRow:
    region: Region
    submission: Submission | None

    @property
    def state(self) -> str:
        if self.submission is None or self.submission.state not in REPORTED:
            return "missing"
        return "zero" if self.submission.zero else "submitted"


@dataclass
class DayTable:
    form: ReportForm
    day: datetime.date
    due_at: datetime.datetime
    overdue: bool
    rows: list[UnitRow]

    @property
    def missing(self) -> list[UnitRow]:
        return [row for row in self.rows if row.state == "missing"]

    @property
    def counts(self) -> dict[str, int]:
        states = [row.state for row in self.rows]
        return {
            "owing": len(states),
            "submitted": states.count("submitted"),
            "zero": states.count("zero"),
            "missing": states.count("missing"),
            "late": sum(1 for row in self.rows if row.submission and row.submission.late),
        }


def day_tables(parent: Region, day: datetime.date, now: datetime.datetime) -> list[DayTable]:
    """For each daily form owed on `day` under `parent`: the units owing it, who submitted,
    who sent a zero report and who is missing."""
    forms = {each.form_id: each.form for each in running_on(day)}
    tables = []
    for form in sorted(forms.values(), key=lambda form: form.code):
        units = units_owing_on(form, day, parent.code)
        if not units:
            continue
        found = submissions_of(form, day, [unit.code for unit in units])
        due = periods.due_at(form, periods.Period(day, day))
        rows = [UnitRow(unit, found.get(unit.code)) for unit in units]
        tables.append(DayTable(form, day, due, now > due, rows))
    return tables


def parent_or_404(user: Any, code: str) -> Region:
    """A township, the district or a village within the person's reach; else 404."""
    region = Region.objects.filter(code=code).first() if len(code) in (6, 9, 12) else None
    if region is None or not user_scope(user).covers(region.code):
        raise Http404
    return region


def parents_of(user: Any) -> list[str]:
    """The units the person's posts are at, highest first (the district post: the district)."""
    scope = user_scope(user)
    if scope.unlimited:
        return [settings.WANGGE_ROOT_REGION]
    return sorted((code for code in scope.region_codes if len(code) <= 12), key=len)


# --- reminders and missing lists --------------------------------------------------------------


def days_due_on(date: datetime.date) -> list[tuple[ReportForm, datetime.date]]:
    """The (form, day) pairs of sensitive periods whose daily report is due on `date`."""
    earliest = date - datetime.timedelta(days=DEADLINE_REACH_DAYS)
    running = SensitivePeriod.objects.filter(starts_on__lte=date, ends_on__gte=earliest)
    found: set[tuple[int, datetime.date]] = set()
    forms: dict[int, ReportForm] = {}
    for sensitive in running.select_related("form"):
        forms[sensitive.form_id] = sensitive.form
        day = max(sensitive.starts_on, earliest)
        while day <= min(sensitive.ends_on, date):
            due = periods.due_at(sensitive.form, periods.Period(day, day))
            if timezone.localdate(due) == date:
                found.add((sensitive.form_id, day))
            day += datetime.timedelta(days=1)
    return [(forms[form_id], day) for form_id, day in sorted(found, key=lambda x: (x[1], x[0]))]


def missing_units(form: ReportForm, day: datetime.date) -> list[Region]:
    units = units_owing_on(form, day)
    found = submissions_of(form, day, [unit.code for unit in units])
    return [unit for unit in units if UnitRow(unit, found.get(unit.code)).state == "missing"]


def told_before(users: set[int], kind: str, text: str) -> set[int]:
    return set(
        Notification.objects.filter(user_id__in=users, kind=kind, message=text[:300]).values_list(
            "user_id", flat=True
        )
    )


def tell_once(users: set[int], *, kind: str, text: str, at: datetime.datetime) -> int:
    fresh = users - told_before(users, kind, text)
    users_notify(fresh, kind=kind, text=text, at=at)
    return len(fresh)


def reminders_send(now: datetime.datetime | None = None) -> int:
    """The evening run: remind the people of each unit whose daily report is due tomorrow
    and not yet submitted. Returns the number of people told."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    told = 0
    for form, day in days_due_on(tomorrow):
        due = periods.due_at(form, periods.Period(day, day))
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Reminder: the %(form)s for %(day)s is due by %(due)s.") % {
                "form": form.name,
                "day": day.isoformat(),
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            }
        for unit in missing_units(form, day):
            with transaction.atomic():
                told += tell_once(
                    holders_of(unit.code, SUBMIT), kind="report_reminder", text=text, at=now
                )
    return told


def missing_list_text(form: ReportForm, day: datetime.date, units: list[Region]) -> str:
    names = "、".join(unit.name for unit in units[:MISSING_NAMES_SHOWN])
    with translation.override(settings.LANGUAGE_CODE):
        if len(units) > MISSING_NAMES_SHOWN:
            names = _("%(names)s and %(more)s more") % {
                "names": names,
                "more": len(units) - MISSING_NAMES_SHOWN,
            }
        return _("%(form)s for %(day)s: %(count)s units have not reported: %(names)s.") % {
            "form": form.name,
            "day": day.isoformat(),
            "count": len(units),
            "names": names,
        }


def missing_lists_send(now: datetime.datetime | None = None) -> int:
    """The morning run: to the parent of every unit whose daily report fell due yesterday
    and was not submitted, the list of its units missing. Returns the number of people told."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - datetime.timedelta(days=1)
    told = 0
    for form, day in days_due_on(yesterday):
        by_parent: dict[str, list[Region]] = defaultdict(list)
        for unit in missing_units(form, day):
            if unit.parent_id:
                by_parent[unit.parent_id].append(unit)
        for parent_code, units in sorted(by_parent.items()):
            text = missing_list_text(form, day, units)
            with transaction.atomic():
                fresh = tell_once(
                    holders_of(parent_code, ROLLUP), kind="report_missing", text=text, at=now
                )
                told += fresh
                if not fresh:
                    continue
                record(
                    actor=None,
                    action="reports.missing_list_send",
                    details={
                        "form": form.code,
                        "day": day.isoformat(),
                        "missing": [unit.code for unit in units],
                        "told": fresh,
                    },
                    region_code=parent_code,
                )
    return told
