"""The leaders' dashboard: today's open, overdue, supervised and listed cases per township,
reporting completeness of the active forms for their latest due period, the active early
warnings and the last 30 days' trend, on one page from a handful of grouped queries.

Scope: the user's region posts. Case figures count only the cases within them; the rows are
the townships the posts reach (a post below a township gives its township's row, counting
only the cases within the post). Every figure comes with the link of the list behind it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wangge.cases import charts
from wangge.cases.models import Case, DailyRollup
from wangge.cases.selectors import RUNNING
from wangge.cases.workflow import OPEN, SupervisionLevel
from wangge.core.scope import Scope, scope_q, user_scope
from wangge.regions.models import Level, Region
from wangge.reports import periods, warnings
from wangge.reports.models import (
    EarlyWarning,
    PeriodType,
    ReportForm,
    SensitivePeriod,
    Submission,
    SubmissionState,
)

TOWNSHIP = 9
TREND_DAYS = 30
LATEST_WARNINGS = 10
CASE_LIST_URL = "/cases/"
PERMISSIONS = ("reports.view_report_rollup", "cases.view_case_statistics")


def may_view(user: Any) -> bool:
    return any(user.has_perm(permission) for permission in PERMISSIONS)


def case_link(**query: str) -> str:
    return f"{CASE_LIST_URL}?{urlencode({k: v for k, v in query.items() if v})}"


@dataclass
class CaseRow:
    code: str
    name: str
    open: int = 0
    overdue: int = 0
    supervised: int = 0
    listed: int = 0
    missing_reports: int = 0

    def link(self, figure: str) -> str:
        """The case list behind a figure."""
        region = self.code  # "" for the total of every place in reach: no filter
        if figure == "overdue":
            return case_link(region=region, overdue="on")
        if figure in {"supervised", "listed"}:
            return case_link(queue=figure, region=region)
        return case_link(region=region, status="open")

    @property
    def links(self) -> dict[str, str]:
        return {name: self.link(name) for name in ("open", "overdue", "supervised", "listed")}


@dataclass
class FormCompleteness:
    form: ReportForm
    period: periods.Period
    expected: int = 0
    submitted: int = 0
    zero: int = 0
    missing: int = 0
    link: str = ""


@dataclass
class Dashboard:
    now: datetime.datetime
    root: str | None  # the one region the user's posts reach, "" for all, None for several
    rows: list[CaseRow]
    total: CaseRow
    forms: list[FormCompleteness]
    warning_count: int
    warnings: list[EarlyWarning]
    trend: list[tuple[datetime.date, int, int]] = field(default_factory=list)

    @property
    def chart(self) -> SafeString:
        labels = [day.strftime("%m-%d") for day, _reported, _closed in self.trend]
        return charts.line_chart(
            _("Cases reported and closed per day, last 30 days"),
            labels,
            [
                (_("cases reported"), [reported for _day, reported, _closed in self.trend]),
                (_("cases closed"), [closed for _day, _reported, closed in self.trend]),
            ],
        )

    @property
    def trend_totals(self) -> tuple[int, int]:
        return sum(r for _d, r, _c in self.trend), sum(c for _d, _r, c in self.trend)

    @property
    def trend_link_reported(self) -> str:
        return self.trend_link("reported")

    @property
    def trend_link_closed(self) -> str:
        return self.trend_link("closed")

    def trend_link(self, figure: str) -> str:
        if self.root is None or not self.trend:
            return ""
        return case_link(
            figure=figure,
            region=self.root,
            **{"from": self.trend[0][0].isoformat(), "to": self.trend[-1][0].isoformat()},
        )


# --- cases ----------------------------------------------------------------------------------


def root_of(scope: Scope) -> str | None:
    if scope.unlimited:
        return ""
    if len(scope.region_codes) == 1:
        return next(iter(scope.region_codes))
    return None


def township_rows(scope: Scope) -> dict[str, CaseRow]:
    """One row per township the posts reach (by name, in code order)."""
    condition = scope_q(scope, field="code") & Q(level=Level.TOWNSHIP)
    below = {code[:TOWNSHIP] for code in scope.region_codes if len(code) > TOWNSHIP}
    regions = Region.objects.filter(condition | Q(code__in=below)).order_by("code")
    return {code: CaseRow(code, name) for code, name in regions.values_list("code", "name")}


def case_counts(scope: Scope, now: datetime.datetime, rows: dict[str, CaseRow]) -> None:
    """Open, overdue, supervised and listed cases per township, in one grouped query."""
    cases = (
        Case.objects.filter(scope_q(scope))
        .filter(Q(status__in=list(OPEN)) | Q(listed=True))
        .annotate(township=Substr("region_code", 1, TOWNSHIP))
        .values("township")
        .annotate(
            open=Count("pk", filter=Q(status__in=list(OPEN))),
            overdue=Count("pk", filter=Q(status__in=RUNNING, due_at__lt=now)),
            supervised=Count(
                "pk", filter=Q(status__in=list(OPEN), supervision__gte=SupervisionLevel.YELLOW)
            ),
            listed=Count("pk", filter=Q(listed=True)),
        )
        .order_by()
    )
    for found in cases:
        row = rows.setdefault(found["township"], CaseRow(found["township"], found["township"]))
        for name in ("open", "overdue", "supervised", "listed"):
            setattr(row, name, found[name])


# --- reporting completeness -----------------------------------------------------------------


def latest_due_daily(form: ReportForm, now: datetime.datetime) -> periods.Period | None:
    today = timezone.localdate(now)
    sensitive = SensitivePeriod.objects.filter(form=form, starts_on__lte=today)
    for each in sensitive.order_by("-ends_on")[:20]:
        day = min(today, each.ends_on)
        while day >= each.starts_on:
            period = periods.Period(day, day)
            if periods.due_at(form, period) <= now:
                return period
            day -= datetime.timedelta(days=1)
    return None


def latest_due(form: ReportForm, now: datetime.datetime) -> periods.Period | None:
    if form.period_type == PeriodType.DAILY:
        return latest_due_daily(form, now)
    due = warnings.due_periods(form, now, 1)
    return due[0] if due else None


def completeness_link(form: ReportForm, root: str | None, period: periods.Period) -> str:
    try:
        url = reverse("reports:completeness")
    except NoReverseMatch:
        return ""
    query = {"form": form.code, "period": period.start.isoformat()}
    if root:
        query["region"] = root
    return f"{url}?{urlencode(query)}"


def form_completeness(
    form: ReportForm, period: periods.Period, scope: Scope, rows: dict[str, CaseRow]
) -> FormCompleteness:
    """Submitted, zero-reported and missing units of the form for the period, within scope;
    the missing ones are also counted on their township's row."""
    units = [unit.code for unit in periods.units_owing(form) if scope.covers(unit.code)]
    if form.period_type == PeriodType.DAILY:
        units = [code for code in units if periods.owes(form, code, period)]
    result = FormCompleteness(form, period, expected=len(units))
    done = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
    reported = dict(
        Submission.objects.filter(form=form, period_start=period.start, state__in=done)
        .filter(scope_q(scope))
        .values_list("region_code", "zero")
    )
    for code in units:
        if code not in reported:
            result.missing += 1
            if code[:TOWNSHIP] in rows:
                rows[code[:TOWNSHIP]].missing_reports += 1
        elif reported[code]:
            result.zero += 1
        else:
            result.submitted += 1
    return result


def completeness(
    scope: Scope, now: datetime.datetime, rows: dict[str, CaseRow], root: str | None
) -> list[FormCompleteness]:
    found = []
    for form in ReportForm.objects.filter(active=True).order_by("code"):
        period = latest_due(form, now)
        if period is None:
            continue
        figures = form_completeness(form, period, scope, rows)
        figures.link = completeness_link(form, root, period)
        found.append(figures)
    return found


# --- trend ----------------------------------------------------------------------------------


def trend(scope: Scope, today: datetime.date) -> list[tuple[datetime.date, int, int]]:
    """Reported and closed per day over the last 30 days (from the daily rollups)."""
    first = today - datetime.timedelta(days=TREND_DAYS - 1)
    rows = (
        DailyRollup.objects.filter(scope_q(scope), day__gte=first, day__lte=today)
        .values("day")
        .annotate(reported=Sum("reported"), closed=Sum("closed"))
        .order_by()
    )
    by_day = {row["day"]: (row["reported"] or 0, row["closed"] or 0) for row in rows}
    days = [first + datetime.timedelta(days=n) for n in range(TREND_DAYS)]
    return [(day, *by_day.get(day, (0, 0))) for day in days]


# --- the page's figures ---------------------------------------------------------------------


def dashboard_of(user: Any, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    scope = user_scope(user)
    root = root_of(scope)
    rows = township_rows(scope)
    case_counts(scope, now, rows)
    forms = completeness(scope, now, rows, root)
    total = CaseRow(root or "", _("Total"))
    for row in rows.values():
        for name in ("open", "overdue", "supervised", "listed", "missing_reports"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    active = warnings.active_warnings_of(user)
    return Dashboard(
        now=now,
        root=root,
        rows=sorted(rows.values(), key=lambda row: row.code),
        total=total,
        forms=forms,
        warning_count=active.count(),
        warnings=list(active[:LATEST_WARNINGS]),
        trend=trend(scope, timezone.localdate(now)),
    )
