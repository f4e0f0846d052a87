"""Case statistics: the CJ/T 292 indicators per region, unit or category over a period, read
from the daily rollups so that their cost does not grow with the number of cases.

Periods are whole local days (Asia/Shanghai), `start` to `end` inclusive.

Counts (each read from `DailyRollup`, where the services add them on the day they happen):
上报数 reported, 立案数 registered, 派遣数 dispatched (first dispatch), 结案数 closed,
按期结案数 closed on time (closed, and fed back by its due moment), 返工 reworked (rework
events), 延期 extended (approved extensions), 评价 rated, 满意 satisfied.

应结案数 (due to close) of a period is the only figure read from the cases:
    the cases closed in the period
  + the cases whose due moment (`due_at`) fell in the period, that are not closed by the
    period's end and not cancelled.
A case that fell due in an earlier period and is still open is not counted again. The second
term is one range query on the `due_at` index, so it grows with the cases due in the period,
not with history. A case cancelled after the period leaves the figure of that period.

Rates (None when the denominator is 0):
结案率 = closed / due; 按期结案率 = closed on time / due; 返工率 = reworked / dispatched;
延期率 = extended / dispatched; 满意率 = satisfied / rated; the unit's composite score
综合指标值 = on-time handling rate × 60 + closure rate × 30 + (1 − rework rate) × 10, where
the on-time handling rate is the on-time closure rate (a closure counts as on time when the
unit fed back by the due moment).

Scope: figures are always "under one region"; a caller must first check that the user's scope
covers that region (`region_allowed`), so every figure lies within the user's scope. Rollups
are kept per village, so grids (15 digits) are not a level of these statistics.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import Department
from wangge.cases.models import Case, CaseEvent, Category, DailyRollup, Task
from wangge.cases.workflow import Action, Status
from wangge.core.scope import prefix_q, user_scope
from wangge.regions.models import Region

# The case list page (built elsewhere) takes these filters; see docs/statistics.md.
CASE_LIST_URL = "/cases/"
GROUPINGS = {
    "region": _("Region"),
    "department": _("Lead unit"),
    "category": _("Category class"),
}
FIGURES = {
    "reported": _("Reported cases"),
    "registered": _("Registered cases"),
    "dispatched": _("Dispatched cases"),
    "closed": _("Closed cases"),
    "due": _("Cases due to close"),
    "closed_on_time": _("Cases closed on time"),
    "reworked": _("Reworks"),
    "extended": _("Approved extensions"),
    "rated": _("Ratings"),
    "satisfied": _("Satisfied ratings"),
}
RATES = {
    "closure_rate": _("Closure rate"),
    "on_time_rate": _("On-time closure rate"),
    "rework_rate": _("Rework rate"),
    "extension_rate": _("Extension rate"),
    "satisfaction_rate": _("Satisfaction rate"),
    "composite": _("Composite score"),
}
ROLLUP_FIGURES = [name for name in FIGURES if name != "due"]
VILLAGE_LENGTH = 12  # rollups go down to villages
CATEGORY_CLASS_LENGTH = 3  # E01, 220: the top level of the category codes
PLACES = Decimal("0.0001")


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, ROUND_HALF_UP)


@dataclass
class Counts:
    reported: int = 0
    registered: int = 0
    dispatched: int = 0
    closed: int = 0
    due: int = 0
    closed_on_time: int = 0
    reworked: int = 0
    extended: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, other: "Counts") -> None:
        for each in fields(self):
            setattr(self, each.name, getattr(self, each.name) + getattr(other, each.name))

    @property
    def closure_rate(self) -> Decimal | None:
        return ratio(self.closed, self.due)

    @property
    def on_time_rate(self) -> Decimal | None:
        return ratio(self.closed_on_time, self.due)

    @property
    def rework_rate(self) -> Decimal | None:
        return ratio(self.reworked, self.dispatched)

    @property
    def extension_rate(self) -> Decimal | None:
        return ratio(self.extended, self.dispatched)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return ratio(self.satisfied, self.rated)

    @property
    def composite(self) -> Decimal | None:
        """按期处置率×60 + 结案率×30 + (1 − 返工率)×10, 0–100; None without cases due."""
        on_time, closure = self.on_time_rate, self.closure_rate
        if on_time is None or closure is None:
            return None
        rework = self.rework_rate or Decimal(0)
        score = on_time * 60 + closure * 30 + (1 - rework) * 10
        return score.quantize(Decimal("0.01"), ROUND_HALF_UP)

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class Filters:
    """What a figure is about: a period and a region, optionally one category class or unit
    (`department` 0: no lead unit)."""

    start: datetime.date
    end: datetime.date
    region: str
    category: str = ""
    department: int | None = None

    @property
    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware moments: from the start of `start` to the start of the day
        after `end` (exclusive)."""
        zone = timezone.get_current_timezone()
        after = self.end + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
        )

    def query(self, figure: str = "") -> str:
        """The case list's query string for these filters (and `figure`)."""
        params: dict[str, Any] = {"region": self.region}
        if self.category:
            params["category"] = self.category
        if self.department is not None:
            params["department"] = self.department
        params["from"] = self.start.isoformat()
        params["to"] = self.end.isoformat()
        if figure:
            params["figure"] = figure
        return urlencode(params)

    def link(self, figure: str) -> str:
        return f"{CASE_LIST_URL}?{self.query(figure)}"


@dataclass
class Row:
    key: str
    label: str
    filters: Filters
    counts: Counts = field(default_factory=Counts)

    def link(self, figure: str) -> str:
        return self.filters.link(figure)


@dataclass
class Table:
    filters: Filters
    grouping: str
    rows: list[Row]
    total: Row
    daily: list[tuple[datetime.date, int, int]]  # day, reported, closed
    note: str = ""

    @property
    def grouping_label(self) -> str:
        return str(GROUPINGS.get(self.grouping, ""))

    @property
    def empty(self) -> bool:
        counts = self.total.counts
        return not any(counts.value(name) for name in FIGURES)


# --- periods --------------------------------------------------------------------------------


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last_month = first.replace(month=first.month + 2)
    return first, month_of(last_month)[1]


def year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


PERIODS = {"month": month_of, "quarter": quarter_of, "year": year_of}


def period_shifted(kind: str, start: datetime.date, steps: int) -> datetime.date:
    """A day in the period `steps` periods away from the one starting on `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[kind] * steps
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- scope ----------------------------------------------------------------------------------


def regions_of(user: Any, root: str) -> list[str]:
    """The regions a user's statistics start from: the root for an unlimited scope, else the
    codes of their posts down to villages (grid posts have no statistics of their own)."""
    scope = user_scope(user)
    if scope.unlimited:
        return [root]
    return sorted(code for code in scope.region_codes if len(code) <= VILLAGE_LENGTH)


def region_allowed(user: Any, code: str) -> bool:
    return len(code) <= VILLAGE_LENGTH and user_scope(user).covers(code)


# --- figures --------------------------------------------------------------------------------


def rollups_for(filters: Filters) -> QuerySet[DailyRollup]:
    rollups = DailyRollup.objects.filter(day__gte=filters.start, day__lte=filters.end)
    rollups = rollups.filter(prefix_q("region_code", filters.region))
    if filters.category:
        rollups = rollups.filter(prefix_q("category_code", filters.category))
    if filters.department is not None:
        rollups = rollups.filter(department_id=filters.department)
    return rollups


def cases_for(filters: Filters) -> QuerySet[Case]:
    """The cases under the filters' region and category, and now led by its unit."""
    cases = Case.objects.filter(prefix_q("region_code", filters.region))
    if filters.category:
        cases = cases.filter(prefix_q("category_code", filters.category))
    if filters.department == 0:
        cases = cases.filter(lead_department__isnull=True)
    elif filters.department is not None:
        cases = cases.filter(lead_department_id=filters.department)
    return cases


def due_open_q(filters: Filters) -> Q:
    """Fell due in the period, not closed by its end, not cancelled."""
    start, after = filters.moments
    return (
        Q(due_at__gte=start, due_at__lt=after)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=after))
        & ~Q(status=Status.CANCELLED)
    )


def group_key(grouping: str, length: int) -> Any:
    """The expression a row is grouped by, the same on rollups and on cases."""
    if grouping == "region":
        return Substr("region_code", 1, length)
    if grouping == "category":
        return Substr("category_code", 1, CATEGORY_CLASS_LENGTH)
    if grouping == "department":
        return F("department_id")
    return Value("", output_field=CharField())


def counts_by(filters: Filters, grouping: str, length: int = 0) -> dict[str, Counts]:
    """The counts of every group under the filters: one GROUP BY over the rollups and one
    over the cases due in the period. (Grouped by one key only: with the day as a second
    key PostgreSQL expects many groups and sorts instead of hashing, twice as slow.)"""
    found: dict[str, Counts] = {}
    sums = {name: Sum(name) for name in ROLLUP_FIGURES}
    rollups = rollups_for(filters).annotate(key=group_key(grouping, length))
    for row in rollups.values("key").annotate(**sums).order_by():
        counts = found.setdefault(str(row["key"]), Counts())
        for name in ROLLUP_FIGURES:
            setattr(counts, name, row[name] or 0)
    key = F("lead_department_id") if grouping == "department" else group_key(grouping, length)
    open_due = cases_for(filters).filter(due_open_q(filters)).annotate(key=key)
    for row in open_due.values("key").annotate(count=Count("pk")).order_by():
        group = str(row["key"] or 0) if grouping == "department" else str(row["key"])
        found.setdefault(group, Counts()).due += row["count"]
    for counts in found.values():
        counts.due += counts.closed
    return found


def daily(filters: Filters) -> list[tuple[datetime.date, int, int]]:
    """Reported and closed per day of the period (days without any are zeros)."""
    rows = rollups_for(filters).values("day").annotate(r=Sum("reported"), c=Sum("closed"))
    by_day = {row["day"]: (row["r"] or 0, row["c"] or 0) for row in rows.order_by()}
    days = (filters.end - filters.start).days + 1
    series = []
    for offset in range(days):
        day = filters.start + datetime.timedelta(days=offset)
        reported, closed = by_day.get(day, (0, 0))
        series.append((day, reported, closed))
    return series


def region_children(code: str) -> tuple[dict[str, str], int]:
    """The child regions (code → name) the figures of `code` split into, and their code
    length; none below villages."""
    children = dict(
        Region.objects.filter(parent_id=code).order_by("code").values_list("code", "name")
    )
    lengths = {len(child) for child in children}
    if not children or len(lengths) != 1 or max(lengths) > VILLAGE_LENGTH:
        return {}, 0
    return children, lengths.pop()


def labels_for(grouping: str, keys: Iterable[str], children: dict[str, str]) -> dict[str, str]:
    keys = list(keys)
    if grouping == "region":
        return children
    if grouping == "category":
        return dict(Category.objects.filter(code__in=keys).values_list("code", "name"))
    ids = [int(key) for key in keys if key.isdigit() and key != "0"]
    names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    labels = {str(pk): name for pk, name in names.items()}
    labels["0"] = str(_("No lead unit yet"))
    return labels


def table_for(filters: Filters, grouping: str) -> Table:
    """The indicators of every group under `filters`, their total and the daily series."""
    children, length = region_children(filters.region) if grouping == "region" else ({}, 0)
    split = grouping != "region" or bool(length)
    found = counts_by(filters, grouping if split else "", length)
    keys = (list(children) or sorted(found)) if split else []
    labels = labels_for(grouping, keys, children)
    rows = []
    for key in keys:
        counts = found.get(key, Counts())
        rows.append(Row(key, labels.get(key, key), row_filters(filters, grouping, key), counts))
    total = Row(filters.region, str(_("Total")), filters)
    for counts in found.values():
        total.counts.add(counts)
    note = "" if split else str(_("Villages and communities are the finest level here."))
    return Table(filters, grouping, rows, total, daily(filters), note)


def row_filters(filters: Filters, grouping: str, key: str) -> Filters:
    if grouping == "region":
        return Filters(filters.start, filters.end, key, filters.category, filters.department)
    if grouping == "category":
        return Filters(filters.start, filters.end, filters.region, key, filters.department)
    return Filters(filters.start, filters.end, filters.region, filters.category, int(key))


# --- the cases behind a figure ------------------------------------------------------------


def with_event(cases: QuerySet[Case], action: str, filters: Filters) -> QuerySet[Case]:
    start, after = filters.moments
    events = CaseEvent.objects.filter(
        case=OuterRef("pk"), action=action, at__gte=start, at__lt=after
    )
    return cases.filter(Exists(events))


def cases_behind(figure: str, filters: Filters) -> QuerySet[Case]:
    """The cases a figure counts, as they stand now; each under the unit the rollups put its
    event under: none for reports and registrations, the first lead unit for the first
    dispatch, the current lead unit for the rest.

    Counts of events (reworked, extended) count a case once per event; the list shows each
    case once. A reopened case's second dispatch counts again in the rollups, not here.
    """
    if figure not in FIGURES:
        raise ValueError(f"Unknown figure: {figure!r}")
    start, after = filters.moments
    unit = filters.department
    if figure in {"reported", "registered"}:
        cases = cases_for(replace(filters, department=None))
        cases = cases if unit in {None, 0} else cases.none()
        name = f"{figure}_at"
        return cases.filter(**{f"{name}__gte": start, f"{name}__lt": after})
    if figure == "dispatched":
        return first_dispatched(cases_for(replace(filters, department=None)), filters)
    cases = cases_for(filters)
    closed = Q(closed_at__gte=start, closed_at__lt=after)
    if figure == "closed":
        return cases.filter(closed)
    if figure == "closed_on_time":
        return cases.filter(closed, on_time=True)
    if figure == "due":
        return cases.filter(closed | due_open_q(filters))
    events = {"reworked": Action.REWORK, "extended": Action.APPROVE_EXTENSION}
    cases = with_event(cases, events.get(figure, Action.RATE), filters)
    return cases.filter(satisfied=True) if figure == "satisfied" else cases


def first_dispatched(cases: QuerySet[Case], filters: Filters) -> QuerySet[Case]:
    """The cases first dispatched in the period (to the filters' unit, if one is given)."""
    start, after = filters.moments
    first = Task.objects.filter(case=OuterRef("pk"), lead=True).order_by("dispatched_at", "id")
    cases = cases.annotate(
        first_dispatched_at=Subquery(first.values("dispatched_at")[:1]),
        first_unit=Subquery(first.values("department_id")[:1]),
    ).filter(first_dispatched_at__gte=start, first_dispatched_at__lt=after)
    if filters.department is not None:
        cases = cases.filter(first_unit=filters.department)
    return cases
