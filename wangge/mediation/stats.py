"""The monthly people's-mediation statistics (人民调解工作统计月报表) of a region: one row per
township of a district (per village of a township), a total row, and the same figures per
Ministry of Justice category (15 rows). Definitions in docs/mediation-statistics.md.

Each figure counts the disputes under the region whose case was not cancelled, in the local
(Asia/Shanghai) calendar month:

受理 accepted        the dispute's case was reported in the month;
调解成功 succeeded   outcome "agreement", reached (`outcome_at`) in the month;
调解不成 failed      outcome "no agreement", reached in the month;
成功率 success rate  succeeded / (succeeded + failed): of the disputes concluded in the month,
                     the share settled by agreement (None when none was concluded);
协议金额 amount      the sum of the agreements that took effect (`effective_on`) in the month;
防止民转刑           disputes concluded in the month marked as having prevented a criminal case;
防止群体性上访       disputes concluded in the month marked as having prevented a group petition.

Scope: the caller checks that the user's scope covers the region (`user_scope(user).covers`),
so every figure lies within it. Three grouped queries per table, whatever the number of disputes.
"""

import datetime
import io
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from wangge.cases.categories_seed import MOJ_CATEGORIES
from wangge.cases.stats import region_children, regions_of
from wangge.cases.workflow import Status
from wangge.core.scope import prefix_q
from wangge.mediation.models import Agreement, Dispute, Outcome
from wangge.regions.models import Level, Region

__all__ = ["FIGURES", "MonthlyTable", "monthly_table", "regions_of", "xlsx_bytes"]

FIGURES = {
    "accepted": _("Disputes accepted"),
    "succeeded": _("Mediated successfully"),
    "success_rate": _("Success rate"),
    "amount": _("Amount agreed (yuan)"),
    "prevented_criminal": _("Prevented from becoming criminal cases"),
    "prevented_group_petition": _("Group petitions prevented"),
}
OTHER_CATEGORY = MOJ_CATEGORIES[-1]  # 其它
PLACES = Decimal("0.0001")


@dataclass
class Figures:
    accepted: int = 0
    succeeded: int = 0
    failed: int = 0
    amount_fen: int = 0
    prevented_criminal: int = 0
    prevented_group_petition: int = 0

    def add(self, other: "Figures") -> None:
        for each in fields(self):
            setattr(self, each.name, getattr(self, each.name) + getattr(other, each.name))

    @property
    def concluded(self) -> int:
        return self.succeeded + self.failed

    @property
    def success_rate(self) -> Decimal | None:
        if not self.concluded:
            return None
        return (Decimal(self.succeeded) / Decimal(self.concluded)).quantize(PLACES, ROUND_HALF_UP)

    @property
    def amount(self) -> Decimal:
        """In yuan."""
        return Decimal(self.amount_fen) / 100


@dataclass
class Row:
    key: str
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class MonthlyTable:
    region_code: str
    region_name: str
    year: int
    month: int
    level_label: str  # what the rows are: townships, villages
    rows: list[Row]
    total: Row
    categories: list[Row]

    @property
    def empty(self) -> bool:
        figures = self.total.figures
        return not any(getattr(figures, each.name) for each in fields(figures))


def month_moments(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as aware local moments: its first instant, and the first of the next."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, following


def disputes_under(region_code: str) -> QuerySet[Dispute]:
    return Dispute.objects.filter(prefix_q("case__region_code", region_code)).exclude(
        case__status=Status.CANCELLED
    )


def figures_by(region_code: str, year: int, month: int, key: Any) -> dict[str, Figures]:
    """The figures per value of `key` (an expression on Dispute; on Agreement it is read
    through `dispute__`): one query for acceptances, one for conclusions, one for amounts."""
    start, following = month_moments(year, month)
    found: dict[str, Figures] = {}
    disputes = disputes_under(region_code)
    accepted = disputes.filter(case__reported_at__gte=start, case__reported_at__lt=following)
    for row in accepted.annotate(key=key("")).values("key").annotate(n=Count("pk")).order_by():
        found.setdefault(str(row["key"]), Figures()).accepted = row["n"]
    concluded = disputes.filter(outcome_at__gte=start, outcome_at__lt=following)
    counts = {
        "succeeded": Count("pk", filter=Q(outcome=Outcome.AGREEMENT)),
        "failed": Count("pk", filter=Q(outcome=Outcome.NO_AGREEMENT)),
        "prevented_criminal": Count("pk", filter=Q(prevented_criminal=True)),
        "prevented_group_petition": Count("pk", filter=Q(prevented_group_petition=True)),
    }
    rows = concluded.exclude(outcome=Outcome.OPEN).annotate(key=key("")).values("key")
    for row in rows.annotate(**counts).order_by():
        figures = found.setdefault(str(row["key"]), Figures())
        for name in counts:
            setattr(figures, name, row[name])
    agreements = Agreement.objects.filter(
        dispute__in=disputes,
        effective_on__gte=start.date(),
        effective_on__lt=following.date(),
    )
    sums = agreements.annotate(key=key("dispute__")).values("key").annotate(s=Sum("amount_fen"))
    for row in sums.order_by():
        found.setdefault(str(row["key"]), Figures()).amount_fen = row["s"] or 0
    return found


def region_key(length: int) -> Any:
    return lambda through: Substr(f"{through}case__region_code", 1, length)


def category_key(through: str) -> Any:
    return F(f"{through}moj_category")


def category_rows(found: dict[str, Figures]) -> list[Row]:
    """The 15 MoJ categories in their official order; an unknown value counts as 其它."""
    rows = {name: Row(name, name) for name in MOJ_CATEGORIES}
    for name, figures in found.items():
        rows.get(name, rows[OTHER_CATEGORY]).figures.add(figures)
    return list(rows.values())


def total_of(region_code: str, rows: list[Row]) -> Row:
    total = Row(region_code, str(_("Total")))
    for row in rows:
        total.figures.add(row.figures)
    return total


def monthly_table(region_code: str, year: int, month: int) -> MonthlyTable:
    """The month's table of a region (any level down to villages, which have no rows)."""
    region = Region.objects.get(code=region_code)
    children, length = region_children(region_code)
    by_category = category_rows(figures_by(region_code, year, month, category_key))
    total = total_of(region_code, by_category)
    rows: list[Row] = []
    if children:
        found = figures_by(region_code, year, month, region_key(length))
        rows = [Row(code, name, found.get(code, Figures())) for code, name in children.items()]
    return MonthlyTable(
        region_code, region.name, year, month, level_of(children), rows, total, by_category
    )


def level_of(children: dict[str, str]) -> str:
    """What the rows are (township, village or community), for the table's head."""
    if not children:
        return ""
    level = Region.objects.filter(code__in=list(children)[:1]).values_list("level", flat=True)
    return str(Level(level[0]).label)


# --- the spreadsheet --------------------------------------------------------------------------

COLUMNS = 7  # the unit, then the six figures


def month_label(year: int, month: int) -> str:
    return str(_("%(year)s-%(month)s")) % {"year": year, "month": f"{month:02d}"}


def figure_cells(figures: Figures) -> list[Any]:
    rate = figures.success_rate
    return [
        figures.accepted,
        figures.succeeded,
        None if rate is None else float(rate),
        float(figures.amount),
        figures.prevented_criminal,
        figures.prevented_group_petition,
    ]


def sheet_header(sheet: Any, first: str, top: int) -> None:
    """Two header rows, as in the Ministry's tables: the prevented figures under one head."""
    heads = [first, *(str(FIGURES[name]) for name in list(FIGURES)[:4])]
    for column, text in enumerate(heads, start=1):
        sheet.cell(top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    sheet.cell(top, 6, str(_("Escalations prevented")))
    sheet.merge_cells(start_row=top, start_column=6, end_row=top, end_column=7)
    sheet.cell(top + 1, 6, str(FIGURES["prevented_criminal"]))
    sheet.cell(top + 1, 7, str(FIGURES["prevented_group_petition"]))


def sheet_block(sheet: Any, first: str, rows: list[Row], total: Row, top: int) -> int:
    """A header and its rows and total from row `top`; returns the next free row."""
    sheet_header(sheet, first, top)
    line = top + 2
    for row in [*rows, total]:
        sheet.append([row.label, *figure_cells(row.figures)])
        line += 1
    thin = Side(style="thin")
    for cells in sheet.iter_rows(min_row=top, max_row=line - 1, max_col=COLUMNS):
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row < top + 2:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif cell.column == 4:
                cell.number_format = "0.0%"
            elif cell.column == 5:
                cell.number_format = "#,##0.00"
    for cell in sheet[line - 1]:
        cell.font = Font(bold=True)
    return line


def xlsx_bytes(table: MonthlyTable, *, made_on: datetime.date) -> bytes:
    """The table as officials lay it out: a title, the unit and the period, two header rows,
    the rows and the total; then the same by dispute category."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = str(_("Mediation statistics"))
    sheet.append([str(_("People's mediation monthly statistics"))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMNS)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([str(_("Reporting unit: %(unit)s")) % {"unit": table.region_name}])
    sheet.append([str(_("Period: %(period)s")) % {"period": month_label(table.year, table.month)}])
    first = table.level_label or str(_("Unit"))
    rows = table.rows or [Row(table.region_code, table.region_name, table.total.figures)]
    line = sheet_block(sheet, first, rows, table.total, 4)
    sheet.cell(line + 1, 1, str(_("By dispute category"))).font = Font(bold=True)
    line = sheet_block(sheet, str(_("Dispute category")), table.categories, table.total, line + 2)
    sheet.cell(line + 1, 1, str(RATE_NOTE))
    sheet.cell(line + 2, 1, str(_("Made on %(day)s")) % {"day": made_on.isoformat()})
    sheet.column_dimensions["A"].width = 24
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 16
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


RATE_NOTE = _(
    "Success rate: disputes mediated successfully in the month divided by all disputes "
    "concluded in the month (with or without agreement)."
)
