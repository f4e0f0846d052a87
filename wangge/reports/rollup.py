"""Completeness and roll-up of a report form for one period under one unit (the reads).

Completeness: every unit that owes the form for the period, below the unit asked about, in
one of six states — approved, submitted, zero report, returned, draft, missing (no row) — and
on time, late, or overdue (not in, past the due time). A returned or draft report is not in.
One row per child of the unit asked about: a township row counts its villages, so the district
sees townships and drills down.

Roll-up: the number fields (and the number columns of table fields) summed over the reports
that are in (submitted or approved). A zero report counts as zeros and is shown apart; a unit
that has not reported is no zero: each row says how many units its sums cover.

Both are a handful of queries whatever the size of the tree: the units, their names, the
reports (as tuples, or summed in the database), never one query per unit.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, NullIf, Substr

from wangge.core.scope import prefix_q
from wangge.regions.models import Region
from wangge.reports import periods
from wangge.reports.models import (
    PeriodType,
    ReportForm,
    SensitivePeriod,
    Submission,
    SubmissionState,
    UnitLevel,
)
from wangge.reports.periods import Period

# The states a unit's report of a period is in; "missing" is no row at all.
APPROVED, SUBMITTED, ZERO, RETURNED, DRAFT, MISSING = (
    "approved",
    "submitted",
    "zero",
    "returned",
    "draft",
    "missing",
)
STATES = (APPROVED, SUBMITTED, ZERO, RETURNED, DRAFT, MISSING)
IN_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
# The code length of the level below a code of each length.
CHILD_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 15}


def child_length(parent_code: str) -> int:
    return CHILD_LENGTH.get(len(parent_code), len(parent_code))


def state_of(state: str, zero: bool) -> str:
    if state in IN_STATES:
        return ZERO if zero else (APPROVED if state == SubmissionState.APPROVED else SUBMITTED)
    return RETURNED if state == SubmissionState.RETURNED else DRAFT


# --- who owes ---------------------------------------------------------------------------------


def sensitive_prefixes(form: ReportForm, period: Period) -> list[str] | None:
    """For a daily form, the code prefixes of the sensitive periods over the period ([""]
    when one names no unit: every unit); None for other forms (every unit owes)."""
    if form.period_type != PeriodType.DAILY:
        return None
    prefixes: list[str] = []
    for sensitive in SensitivePeriod.objects.filter(
        form=form, starts_on__lte=period.end, ends_on__gte=period.start
    ):
        prefixes += sensitive.region_prefixes or [""]
    return prefixes


def owing_q(form: ReportForm, period: Period, within: str) -> Q:
    """The regions that owe the form for the period under `within`, as a filter: the rule of
    `periods.units_owing` filtered by `periods.owes`, put so that the database counts them
    (a test holds the two to agreeing)."""
    levels = [periods.LEVEL_OF_UNIT[UnitLevel(level)] for level in form.unit_levels]
    condition = Q(level__in=levels) & prefix_q("code", within)
    prefixes = sensitive_prefixes(form, period)
    if prefixes is None or "" in prefixes:
        return condition
    each = Q(pk__in=[])
    for prefix in sorted(set(prefixes)):
        each |= prefix_q("code", prefix)
    return condition & each


def units_owed(form: ReportForm, period: Period, within: str) -> list[Region]:
    """The units under `within` that owe the form for the period, as regions (for the
    spreadsheet; the pages count them in the database)."""
    return list(
        Region.objects.filter(owing_q(form, period, within))
        .order_by("code")
        .only("code", "name", "level", "parent_id")
    )


def expected_by_row(owing: Q, parent_code: str) -> dict[str, int]:
    """Per row (child of the parent), how many units owe (`owing_q`): one aggregate query."""
    rows = (
        Region.objects.filter(owing)
        .annotate(row=Substr("code", 1, child_length(parent_code)))
        .values("row")
        .annotate(units=Count("code"))
        .order_by()
    )
    return {row["row"]: row["units"] for row in rows}


def names_of(codes: Iterable[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def row_key(code: str, parent_code: str) -> str:
    return code[: child_length(parent_code)]


def unit_lengths(form: ReportForm) -> set[int]:
    return {periods.unit_length(level) for level in form.unit_levels}


# --- completeness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReport:
    code: str
    name: str
    state: str
    late: bool

    @property
    def is_in(self) -> bool:
        return self.state in (APPROVED, SUBMITTED, ZERO)


@dataclass
class Counts:
    expected: int = 0
    approved: int = 0
    submitted: int = 0
    zero: int = 0
    returned: int = 0
    draft: int = 0
    missing: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    def add_reports(self, state: str, late: bool, count: int) -> None:
        setattr(self, state, getattr(self, state) + count)
        if state in (APPROVED, SUBMITTED, ZERO):
            if late:
                self.late += count
            else:
                self.on_time += count

    def settle(self, expected: int, past_due: bool) -> None:
        """The units with no report at all are the ones expected and not counted."""
        self.expected = expected
        self.missing = expected - self.approved - self.submitted - self.zero
        self.missing -= self.returned + self.draft
        self.overdue = self.outstanding if past_due else 0

    def merge(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def reported(self) -> int:
        """In: submitted or approved, zero reports included."""
        return self.approved + self.submitted + self.zero

    @property
    def outstanding(self) -> int:
        return self.expected - self.reported

    @property
    def share(self) -> int | None:
        """The share of the units in, in whole percent (None when none owes)."""
        if not self.expected:
            return None
        return self.reported * 100 // self.expected

    def only_state(self) -> str:
        return next(s for s in STATES if getattr(self, s)) if self.expected else MISSING


@dataclass
class CompletenessRow:
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)
    outstanding: list[UnitReport] = field(default_factory=list)
    unit: UnitReport | None = None  # the row is one unit (not a group of units)

    @property
    def state(self) -> str:
        return self.unit.state if self.unit else ""


@dataclass
class Completeness:
    form: ReportForm
    period: Period
    parent: Region
    due_at: datetime.datetime
    past_due: bool
    rows: list[CompletenessRow]
    total: Counts

    @property
    def outstanding(self) -> list[UnitReport]:
        return [unit for row in self.rows for unit in row.outstanding]


def period_reports(form: ReportForm, period: Period, within: str) -> Any:
    """The reports of the period under `within` (units submit only for their own level).

    The unit is matched by its code's first digits, not by a range of codes: the one index
    that fits is then (form, period), which holds one row per unit and period; a range on
    the code would take the (form, code, period) index and read every period of the units."""
    return Submission.objects.annotate(within=Substr("region_code", 1, len(within))).filter(
        within=within, form=form, period_start=period.start
    )


def counts_by_row(form: ReportForm, period: Period, parent_code: str) -> dict[str, Counts]:
    """Per row, the reports counted by state, zero and lateness: one aggregate query."""
    rows = (
        period_reports(form, period, parent_code)
        .annotate(row=Substr("region_code", 1, child_length(parent_code)))
        .values_list("row", "state", "zero", "late")
        .annotate(count=Count("id"))
        .order_by()
    )
    found: dict[str, Counts] = defaultdict(Counts)
    for row, state, zero, late, count in rows:
        found[row].add_reports(state_of(state, zero), late, count)
    return found


def outstanding_units(
    form: ReportForm, period: Period, parent_code: str, owing: Q
) -> list[UnitReport]:
    """The units owing (`owing_q`) whose report is not in, with the state of what they have
    (returned, draft) or missing: one query."""
    reports = Submission.objects.filter(form=form, period_start=period.start)
    in_codes = in_reports(form, period, parent_code).values("region_code")
    state = Subquery(reports.filter(region_code=OuterRef("code")).values("state")[:1])
    rows = (
        Region.objects.filter(owing)
        .exclude(code__in=in_codes)
        .annotate(report_state=state)
        .order_by("code")
        .values_list("code", "name", "report_state")
    )
    return [
        UnitReport(code, name, state_of(found, False) if found else MISSING, False)
        for code, name, found in rows
    ]


def completeness(
    form: ReportForm, period: Period, parent: Region, now: datetime.datetime
) -> Completeness:
    """A few aggregate queries, whatever the size of the tree: the units owing counted per
    row, their reports counted per row and state, the units not in, the rows' names."""
    due = periods.due_at(form, period)
    past_due = now > due
    owing = owing_q(form, period, parent.code)
    expected = expected_by_row(owing, parent.code)
    counted = counts_by_row(form, period, parent.code)
    outstanding: dict[str, list[UnitReport]] = defaultdict(list)
    for unit in outstanding_units(form, period, parent.code, owing):
        outstanding[row_key(unit.code, parent.code)].append(unit)
    names = names_of(expected)
    lengths = unit_lengths(form)
    rows, total = [], Counts()
    for key in sorted(expected):
        counts = counted.get(key, Counts())
        counts.settle(expected[key], past_due)
        row = CompletenessRow(key, names.get(key, key), counts, outstanding.get(key, []))
        if expected[key] == 1 and len(key) in lengths:
            late = counts.late > 0
            row.unit = UnitReport(key, row.name, counts.only_state(), late)
        rows.append(row)
        total.merge(counts)
    return Completeness(form, period, parent, due, past_due, rows, total)


# --- roll-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a form as a roll-up shows it: a field, or a number column of a table."""

    key: str
    label: str
    kind: str  # number | text | choice | date | table (a number column of a table field)
    field: str
    column: str = ""

    @property
    def summed(self) -> bool:
        return self.kind in ("number", "table")


def columns_of(form: ReportForm) -> list[Column]:
    """The form's fields in its order; a table field gives one column per number column."""
    columns = []
    for spec in form.fields or []:
        name, label, kind = spec.get("name", ""), spec.get("label", ""), spec.get("type", "")
        if kind != "table":
            columns.append(Column(name, label or name, kind, name))
            continue
        for column in spec.get("columns", []):
            if column.get("type") == "number":
                text = f"{label or name} · {column.get('label') or column.get('name')}"
                columns.append(
                    Column(f"{name}.{column['name']}", text, "table", name, column["name"])
                )
    return columns


def number(value: Any) -> Decimal | None:
    """A value as a number, or None when it is none (empty, text, a list …)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def tidy(value: float | Decimal | None) -> Decimal | None:
    """Sums read back from the database as floats, shown as the decimals they were."""
    if value is None:
        return None
    tidied = Decimal(repr(value)) if isinstance(value, float) else value
    if tidied == tidied.to_integral_value():
        return tidied.quantize(Decimal(1))
    return tidied.normalize()


@dataclass
class RollupRow:
    code: str
    name: str
    expected: int = 0
    covered: int = 0  # units whose report is in (zero reports included)
    zero: int = 0
    sums: dict[str, Decimal | None] = field(default_factory=dict)
    single: bool = False  # the row is one unit, not a group

    def value(self, key: str) -> Decimal | None:
        """A sum; zero when every covered unit sent a zero report; None when none is in."""
        if not self.covered:
            return None
        found = self.sums.get(key)
        return Decimal(0) if found is None else found


@dataclass
class Rollup:
    form: ReportForm
    period: Period
    parent: Region
    columns: list[Column]
    rows: list[RollupRow]
    total: RollupRow

    @property
    def summed(self) -> list[Column]:
        return [column for column in self.columns if column.summed]


def in_reports(form: ReportForm, period: Period, within: str) -> Any:
    return period_reports(form, period, within).filter(state__in=IN_STATES)


class JsonKey(Func):
    """A top-level key of a JSON column, as text on PostgreSQL (`->>`) and as its JSON value
    on SQLite (`JSON_EXTRACT`: numbers come back as numbers). Django's `KeyTextTransform`
    asks SQLite for the value's type first, which reads the JSON twice per row."""

    output_field = TextField()

    def __init__(self, column: str, key: str) -> None:
        self.key = key
        super().__init__(F(column))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> %s)", [*params, self.key]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        path = '$."' + self.key.replace('"', '\\"') + '"'
        return f"JSON_EXTRACT({sql}, %s)", [*params, path]


def number_sum(field_name: str) -> Sum:
    text = NullIf(JsonKey("values", field_name), Value(""))
    return Sum(Cast(text, FloatField()))


def grouped_sums(
    form: ReportForm, period: Period, parent: Region, columns: list[Column]
) -> dict[str, dict[str, Any]]:
    """Per row of the roll-up, in one aggregate query: the reports in, the zero reports, and
    the sum of every number field."""
    numbers = [column for column in columns if column.kind == "number"]
    sums = {f"sum_{index}": number_sum(column.field) for index, column in enumerate(numbers)}
    rows = (
        in_reports(form, period, parent.code)
        .annotate(row=Substr("region_code", 1, child_length(parent.code)))
        .values("row")
        .annotate(covered=Count("id"), zeros=Count("id", filter=Q(zero=True)), **sums)
        .order_by()
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = {column.key: tidy(row[f"sum_{i}"]) for i, column in enumerate(numbers)}
        found[row["row"]] = {"covered": row["covered"], "zero": row["zeros"], "sums": values}
    return found


def table_sums(
    form: ReportForm, period: Period, parent: Region, columns: list[Column]
) -> dict[str, dict[str, Decimal]]:
    """Per row, the number columns of table fields summed (in Python: the rows of a table are
    a JSON list, which the two engines take apart differently). One query, only for forms
    with such columns."""
    tables = [column for column in columns if column.kind == "table"]
    found: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    if not tables:
        return found
    fields = sorted({column.field for column in tables})
    annotations = {f"table_{i}": KeyTransform(name, "values") for i, name in enumerate(fields)}
    rows = in_reports(form, period, parent.code).values("region_code", **annotations)
    for row in rows:
        key = row_key(row["region_code"], parent.code)
        for column in tables:
            lines = row[f"table_{fields.index(column.field)}"]
            found[key][column.key] += sum_of_column(lines, column.column)
    return found


def sum_of_column(lines: Any, column: str) -> Decimal:
    if not isinstance(lines, list):
        return Decimal(0)
    found = (number(line.get(column)) for line in lines if isinstance(line, dict))
    return sum((value for value in found if value is not None), Decimal(0))


def rollup(form: ReportForm, period: Period, parent: Region) -> Rollup:
    """The sums per child of `parent` and in total: the units owing counted per row, the
    reports summed per row, the rows' names (and the table columns, when the form has)."""
    columns = columns_of(form)
    expected = expected_by_row(owing_q(form, period, parent.code), parent.code)
    names = names_of(expected)
    sums = grouped_sums(form, period, parent, columns)
    tables = table_sums(form, period, parent, columns)
    lengths = unit_lengths(form)
    rows = []
    for key in sorted(expected):
        found = sums.get(key, {"covered": 0, "zero": 0, "sums": {}})
        row = RollupRow(key, names.get(key, key), expected[key], found["covered"], found["zero"])
        row.sums = {**found["sums"], **tables.get(key, {})}
        row.single = expected[key] == 1 and len(key) in lengths
        rows.append(row)
    return Rollup(form, period, parent, columns, rows, total_of(parent, rows, columns))


def total_of(parent: Region, rows: list[RollupRow], columns: list[Column]) -> RollupRow:
    total = RollupRow(parent.code, parent.name)
    for row in rows:
        total.expected += row.expected
        total.covered += row.covered
        total.zero += row.zero
    for column in columns:
        if column.summed:
            values = [row.sums.get(column.key) for row in rows]
            present = [value for value in values if value is not None]
            total.sums[column.key] = sum(present, Decimal(0)) if present else None
    return total


# --- one row per unit, for the spreadsheet ----------------------------------------------------


@dataclass
class UnitValues:
    code: str
    name: str
    state: str
    late: bool
    values: dict[str, Any]


def unit_values(form: ReportForm, period: Period, parent: Region) -> list[UnitValues]:
    """Every unit owing under `parent` with its report's values (empty unless in)."""
    units = units_owed(form, period, parent.code)
    rows = Submission.objects.filter(
        prefix_q("region_code", parent.code), form=form, period_start=period.start
    ).values_list("region_code", "state", "zero", "late", "values")
    reports = {code: (state, zero, late, values) for code, state, zero, late, values in rows}
    found = []
    for unit in units:
        state, zero, late, values = reports.get(unit.code, (MISSING, False, False, {}))
        shown = MISSING if state == MISSING else state_of(state, zero)
        in_values = values if shown in (APPROVED, SUBMITTED, ZERO) else {}
        found.append(UnitValues(unit.code, unit.name, shown, late, in_values or {}))
    return found


def cell_of(column: Column, values: dict[str, Any]) -> Any:
    """What a unit's report holds for a column: a number, a text, a table column's sum."""
    if column.kind == "table":
        return sum_of_column(values.get(column.field), column.column)
    value = values.get(column.field)
    if column.kind == "number":
        return number(value)
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return "" if value is None else str(value)
