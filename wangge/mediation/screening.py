"""Monthly dispute screening (月排查): periods, submissions, completeness; the quarterly report
is in `screening_report`.

Each village (monthly, or every half month where the district sets it) and each township
(monthly) submits per period the dispute cases it found, or an explicit zero report; no row
means it has not reported. A period may be submitted from its last day on and is due
`due_days` days after it; a later report is accepted and flagged late. The parent unit sees
who reported what, and locks the reports it has accepted (no more changes after that).

The quarterly report (季报) is compiled from the cases, never typed in: 排查数 (disputes
found: reported in the period), 处理数 (taken into mediation: being handled or done) and
完成数 (closed with an outcome), per GB/T 31000 class and per level of the unit mediating it.
"""

import calendar as month_calendar
import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.cases.models import Case
from wangge.cases.workflow import Status
from wangge.core.scope import prefix_q, user_scope
from wangge.mediation.access import STATISTICS, SUBMIT_SCREENING
from wangge.mediation.models import Cadence, Screening, ScreeningSettings
from wangge.regions.models import Level, Region

VILLAGE, TOWNSHIP, COUNTY = 12, 9, 6
UNIT_LEVELS = {VILLAGE: Level.VILLAGE, TOWNSHIP: Level.TOWNSHIP}
DEFAULT_DUE_DAYS = 5
# Taken into mediation: being handled (or paused), reported done, or closed.
HANDLED = (Status.HANDLING, Status.SUSPENDED, Status.FED_BACK, Status.CLOSED)


# --- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    def open_on(self, today: datetime.date) -> bool:
        """Submittable from its last day on."""
        return today >= self.end


def rules_of(district_code: str) -> ScreeningSettings:
    found = ScreeningSettings.objects.filter(district_code=district_code).first()
    return found or ScreeningSettings(district_code=district_code, due_days=DEFAULT_DUE_DAYS)


def cadence_of(unit_code: str, rules: ScreeningSettings) -> str:
    if len(unit_code) == VILLAGE:
        return str(rules.village_cadence)
    return Cadence.MONTHLY


def period_containing(day: datetime.date, cadence: str, rules: ScreeningSettings) -> Period:
    last = month_calendar.monthrange(day.year, day.month)[1]
    start, end = day.replace(day=1), day.replace(day=last)
    if cadence == Cadence.HALF_MONTHLY:
        if day.day <= 15:
            end = day.replace(day=15)
        else:
            start = day.replace(day=16)
    return Period(start, end, end + datetime.timedelta(days=rules.due_days))


def period_of(unit_code: str, start: datetime.date) -> Period:
    """The unit's period beginning on `start`; a date that begins none is refused."""
    rules = rules_of(unit_code[:COUNTY])
    period = period_containing(start, cadence_of(unit_code, rules), rules)
    if period.start != start:
        raise ValidationError({"period": _("No screening period of this unit begins on that day.")})
    return period


def recent_periods(unit_code: str, today: datetime.date, count: int = 6) -> list[Period]:
    """The current period (perhaps not yet open) and those before it, newest first."""
    rules = rules_of(unit_code[:COUNTY])
    cadence = cadence_of(unit_code, rules)
    periods = [period_containing(today, cadence, rules)]
    while len(periods) < count:
        before = periods[-1].start - datetime.timedelta(days=1)
        periods.append(period_containing(before, cadence, rules))
    return periods


def latest_open(unit_code: str, today: datetime.date) -> Period:
    return next(p for p in recent_periods(unit_code, today, 2) if p.open_on(today))


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime.combine(start, datetime.time(), zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    return first, after


# --- units and who reaches them ---------------------------------------------------------------


def unit_or_404(user: Any, code: str, *, lengths: tuple[int, ...] = (VILLAGE, TOWNSHIP)) -> Region:
    """A village or township (or, for parents, a county) in the user's scope; else 404."""
    levels = {VILLAGE: Level.VILLAGE, TOWNSHIP: Level.TOWNSHIP, COUNTY: Level.COUNTY}
    wanted = [levels[length] for length in lengths]
    region = Region.objects.filter(code=code, level__in=wanted).first()
    if region is None or not user_scope(user).covers(region.code):
        raise Http404
    return region


def units_of(user: Any, lengths: tuple[int, ...] = (VILLAGE, TOWNSHIP)) -> list[str]:
    """The units the user's posts are at (a district post: the district's own code)."""
    scope = user_scope(user)
    if scope.unlimited:
        return [settings.WANGGE_ROOT_REGION] if COUNTY in lengths else []
    return sorted(code for code in scope.region_codes if len(code) in lengths)


def disputes_of(unit_code: str, period: Period) -> QuerySet[Case]:
    """The unit's dispute cases reported in the period (cancelled ones are no disputes)."""
    first, after = day_bounds(period.start, period.end)
    return (
        Case.objects.filter(prefix_q("region_code", unit_code), kind="dispute")
        .filter(reported_at__gte=first, reported_at__lt=after)
        .exclude(status=Status.CANCELLED)
        .order_by("reported_at", "pk")
    )


# --- submitting and locking -------------------------------------------------------------------


@dataclass
class SubmissionInput:
    region_code: str
    period_start: datetime.date
    zero: bool
    case_ids: list[int] = field(default_factory=list)
    note: str = ""


def submission_checked(data: SubmissionInput, period: Period, today: datetime.date) -> list[Case]:
    """The listed disputes, once the period and the choice are right; else a clear error."""
    if not period.open_on(today):
        raise ValidationError(
            {
                "period": _("This period is not open yet: it can be submitted from %(day)s on.")
                % {"day": period.end.isoformat()}
            }
        )
    if data.zero and data.case_ids:
        raise ValidationError(
            {"zero": _("A zero report lists no disputes: untick the disputes or the zero report.")}
        )
    if not data.zero and not data.case_ids:
        raise ValidationError({"zero": _("Declare a zero report or list the disputes found.")})
    if len(data.note) > 1000:
        raise ValidationError({"note": _("The note is too long (at most 1,000 characters).")})
    ids = set(data.case_ids)
    cases = list(disputes_of(data.region_code, period).filter(pk__in=ids))
    if len(cases) != len(ids):
        raise ValidationError(
            {"disputes": _("Only disputes of this unit found in this period can be listed.")}
        )
    return cases


def screening_submit(
    *,
    actor: Any,
    data: SubmissionInput,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Screening:
    """The unit's report for a period; a report already there is replaced until the parent
    locks it (it keeps its first submission's lateness)."""
    now = now or timezone.now()
    if not actor.has_perm(SUBMIT_SCREENING) or not user_scope(actor).covers(data.region_code):
        raise PermissionDenied
    if len(data.region_code) not in UNIT_LEVELS:
        raise ValidationError({"unit": _("Only villages and townships submit a screening.")})
    period = period_of(data.region_code, data.period_start)
    today = timezone.localdate(now)
    cases = submission_checked(data, period, today)
    with transaction.atomic():
        screening = (
            Screening.objects.select_for_update()
            .filter(region_code=data.region_code, period_start=period.start)
            .first()
        )
        if screening is not None and screening.locked:
            raise ValidationError(
                {"period": _("The report of this period is locked: it cannot be changed.")}
            )
        action = "mediation.screening_submit" if screening is None else "mediation.screening_amend"
        if screening is None:
            screening = Screening(
                region_code=data.region_code,
                period_start=period.start,
                late=today > period.due_on,
            )
        screening.period_end = period.end
        screening.due_on = period.due_on
        screening.zero = data.zero
        screening.note = data.note.strip()
        screening.submitted_by = actor
        screening.submitted_at = now
        screening.save()
        screening.disputes.set(cases)
        record(
            actor=actor,
            action=action,
            target=screening,
            details={
                "period": period.start.isoformat(),
                "zero": data.zero,
                "disputes": sorted(case.pk for case in cases),
                "late": screening.late,
            },
            request=request,
            region_code=data.region_code,
        )
    return screening


def screening_lock(
    *,
    actor: Any,
    parent_code: str,
    period_start: datetime.date,
    request: HttpRequest | None = None,
) -> int:
    """The parent accepts its units' reports of a period: they can no longer change. Units
    that have not reported may still do so (late). Returns how many reports were locked."""
    if not actor.has_perm(STATISTICS) or not user_scope(actor).covers(parent_code):
        raise PermissionDenied
    if len(parent_code) not in (TOWNSHIP, COUNTY):
        raise ValidationError({"unit": _("Only a township or the district locks reports.")})
    with transaction.atomic():
        reports = Screening.objects.filter(
            region_code__in=child_codes(parent_code), period_start=period_start, locked=False
        )
        locked = reports.update(locked=True)
        record(
            actor=actor,
            action="mediation.screening_lock",
            details={"period": period_start.isoformat(), "reports": locked},
            request=request,
            region_code=parent_code,
        )
    return locked


# --- completeness -----------------------------------------------------------------------------


@dataclass
class UnitState:
    region: Region
    screening: Screening | None
    disputes: int
    overdue: bool
    # Dispute cases of the unit recorded in the period, whether listed or not: a zero report
    # beside recorded disputes is worth a question from the parent.
    recorded: int = 0

    @property
    def state(self) -> str:
        if self.screening is None:
            return "missing"
        return "zero" if self.screening.zero else "submitted"


@dataclass
class Completeness:
    parent: Region
    period: Period
    units: list[UnitState]
    counts: dict[str, int]


def child_codes(parent_code: str) -> list[str]:
    return list(child_units(parent_code).values_list("code", flat=True))


def child_units(parent_code: str) -> QuerySet[Region]:
    level = Level.VILLAGE if len(parent_code) == TOWNSHIP else Level.TOWNSHIP
    return Region.objects.filter(parent_id=parent_code, level=level).order_by("code")


def child_period(
    parent_code: str, day: datetime.date, rules: ScreeningSettings | None = None
) -> Period:
    """The children's period containing `day` (villages may screen every half month)."""
    child_length = VILLAGE if len(parent_code) == TOWNSHIP else TOWNSHIP
    rules = rules or rules_of(parent_code[:COUNTY])
    return period_containing(day, cadence_of("0" * child_length, rules), rules)


def child_periods_around(parent_code: str, day: datetime.date | None) -> list[Period]:
    """The children's period before, at and after `day` (by default the latest open one)."""
    rules = rules_of(parent_code[:COUNTY])
    if day is None:
        today = timezone.localdate()
        day = child_period(parent_code, today, rules).start
        if not child_period(parent_code, today, rules).open_on(today):
            day -= datetime.timedelta(days=1)
    period = child_period(parent_code, day, rules)
    one = datetime.timedelta(days=1)
    return [
        child_period(parent_code, period.start - one, rules),
        period,
        child_period(parent_code, period.end + one, rules),
    ]


def recorded_by_unit(parent_code: str, unit_length: int, period: Period) -> dict[str, int]:
    """Per child unit, the dispute cases recorded in the period (one aggregate query)."""
    rows = (
        disputes_of(parent_code, period)
        .annotate(unit=Substr("region_code", 1, unit_length))
        .values("unit")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["unit"]: row["count"] for row in rows}


def completeness(parent: Region, period: Period, today: datetime.date) -> Completeness:
    """Every child unit with its report of the period: zero, n disputes, or missing."""
    units = list(child_units(parent.code))
    reports = {
        report.region_code: report
        for report in Screening.objects.filter(
            region_code__in=[unit.code for unit in units], period_start=period.start
        )
        .select_related("submitted_by")
        .annotate(dispute_count=Count("disputes"))
    }
    recorded = recorded_by_unit(parent.code, len(units[0].code) if units else VILLAGE, period)
    states = [
        UnitState(
            region=unit,
            screening=reports.get(unit.code),
            disputes=getattr(reports.get(unit.code), "dispute_count", 0),
            overdue=unit.code not in reports and today > period.due_on,
            recorded=recorded.get(unit.code, 0),
        )
        for unit in units
    ]
    counts = {
        "units": len(states),
        "zero": sum(1 for s in states if s.state == "zero"),
        "submitted": sum(1 for s in states if s.state == "submitted"),
        "missing": sum(1 for s in states if s.state == "missing"),
        "late": sum(1 for s in states if s.screening is not None and s.screening.late),
        "disputes": sum(s.disputes for s in states),
    }
    return Completeness(parent, period, states, counts)
