"""The quarterly report (季报) of dispute screening, compiled from the cases, never typed in:
排查数 (disputes found: reported in the period), 处理数 (taken into mediation: being handled or
done) and 完成数 (closed with an outcome), per GB/T 31000 class and per level of the unit
mediating it; and the same as a spreadsheet."""

import calendar as month_calendar
import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Q, Value
from django.db.models.functions import Coalesce, ExtractMonth, Length, Substr
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.audit.services import record
from wangge.cases.models import Case, Category
from wangge.cases.workflow import Status
from wangge.core.scope import prefix_q, user_scope
from wangge.mediation.models import Outcome
from wangge.mediation.screening import (
    COUNTY,
    HANDLED,
    TOWNSHIP,
    VILLAGE,
    day_bounds,
)
from wangge.regions.models import Region

# --- the quarterly report ---------------------------------------------------------------------

LEVELS = (
    ("village", gettext_lazy("village or community")),
    ("township", gettext_lazy("township")),
    ("county", gettext_lazy("county")),
)
FIGURES = (
    ("found", gettext_lazy("Found")),
    ("handled", gettext_lazy("Handled")),
    ("completed", gettext_lazy("Completed")),
)


def level_of_length(length: int) -> str:
    if length >= VILLAGE:
        return "village"
    return "township" if length == TOWNSHIP else "county"


@dataclass
class Block:
    """One period of the report: per class, per level, the three figures."""

    label: str
    cells: dict[str, dict[str, dict[str, int]]]

    def total(self, class_code: str, figure: str) -> int:
        return sum(self.cells[class_code][level][figure] for level, _l in LEVELS)

    def column(self, level: str, figure: str) -> int:
        return sum(levels[level][figure] for levels in self.cells.values())

    def grand(self, figure: str) -> int:
        return sum(self.column(level, figure) for level, _l in LEVELS)


@dataclass
class QuarterReport:
    region: Region
    year: int
    quarter: int
    classes: list[tuple[str, str]]
    blocks: list[Block]


def dispute_classes() -> list[tuple[str, str]]:
    """The GB/T 31000 classes (D01 … D16, D99) with their names."""
    rows = Category.objects.filter(kind="dispute", parent__isnull=True, code__regex=r"^D\d\d$")
    return list(rows.order_by("code").values_list("code", "name"))


def figures_by_month(region_code: str, year: int, last_month: int) -> list[dict[str, Any]]:
    """One aggregate query: per month, class and mediating level, the three counts of the
    disputes reported from January to the end of `last_month`."""
    first, _a = day_bounds(datetime.date(year, 1, 1), datetime.date(year, 1, 1))
    end_day = month_calendar.monthrange(year, last_month)[1]
    _f, after = day_bounds(
        datetime.date(year, last_month, end_day), datetime.date(year, last_month, end_day)
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    cases = (
        Case.objects.filter(prefix_q("region_code", region_code), kind="dispute")
        .filter(reported_at__gte=first, reported_at__lt=after)
        .exclude(status=Status.CANCELLED)
    )
    completed = Q(
        status=Status.CLOSED, dispute__outcome__in=[Outcome.AGREEMENT, Outcome.NO_AGREEMENT]
    )
    return list(
        cases.annotate(
            month=ExtractMonth("reported_at", tzinfo=zone),
            class_code=Substr("category_code", 1, 3),
            # Without a mediation body yet, a dispute stays with the village that found it.
            level_length=Coalesce(
                Length("dispute__body__department__region_id"),
                Value(VILLAGE),
                output_field=IntegerField(),
            ),
        )
        .values("month", "class_code", "level_length")
        .annotate(
            found=Count("pk"),
            handled=Count("pk", filter=Q(status__in=HANDLED)),
            completed=Count("pk", filter=completed),
        )
        .order_by()
    )


def empty_cells(classes: list[tuple[str, str]]) -> dict[str, dict[str, dict[str, int]]]:
    return {
        code: {level: {figure: 0 for figure, _f in FIGURES} for level, _l in LEVELS}
        for code, _n in classes
    }


def quarter_report(region: Region, year: int, quarter: int) -> QuarterReport:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    classes = dispute_classes()
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    blocks = {
        month: Block(_("Month %(month)s") % {"month": month}, empty_cells(classes))
        for month in months
    }
    year_block = Block(_("Year to date"), empty_cells(classes))
    for row in figures_by_month(region.code, year, months[-1]):
        if row["class_code"] not in year_block.cells:
            continue
        level = level_of_length(row["level_length"])
        targets = [year_block] + ([blocks[row["month"]]] if row["month"] in blocks else [])
        for block in targets:
            for figure, _f in FIGURES:
                block.cells[row["class_code"]][level][figure] += row[figure]
    return QuarterReport(region, year, quarter, classes, [*blocks.values(), year_block])


def report_region_allowed(user: Any, code: str) -> bool:
    return len(code) in (COUNTY, TOWNSHIP, VILLAGE) and user_scope(user).covers(code)


# --- the quarterly report as a spreadsheet ----------------------------------------------------

EXPORT_ACTION = "mediation.screening_report_export"


def header_rows() -> list[list[str]]:
    levels = [str(label) for _c, label in LEVELS] + [_("Total")]
    top = [_("Dispute class"), ""]
    for level in levels:
        top += [level, "", ""]
    figures = [str(label) for _c, label in FIGURES]
    return [top, [_("Code"), _("Class name"), *(figures * len(levels))]]


def block_rows(report: QuarterReport, block: Block) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for code, name in report.classes:
        cells = block.cells[code]
        row: list[Any] = [code, name]
        for level, _l in LEVELS:
            row += [cells[level][figure] for figure, _f in FIGURES]
        rows.append(row + [block.total(code, figure) for figure, _f in FIGURES])
    total: list[Any] = ["", _("Total")]
    for level, _l in LEVELS:
        total += [block.column(level, figure) for figure, _f in FIGURES]
    rows.append(total + [block.grand(figure) for figure, _f in FIGURES])
    return rows


def quarter_xlsx(report: QuarterReport) -> bytes:
    """The same blocks and numbers as the page, one under the other."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("Dispute screening"))
    sheet.append([_("Region"), report.region.code, report.region.name])
    sheet.append([_("Quarter"), f"{report.year}Q{report.quarter}"])
    for block in report.blocks:
        sheet.append([])
        sheet.append([block.label])
        for row in [*header_rows(), *block_rows(report, block)]:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def quarter_export_record(*, actor: Any, report: QuarterReport, request: HttpRequest) -> None:
    record(
        actor=actor,
        action=EXPORT_ACTION,
        details={"region": report.region.code, "year": report.year, "quarter": report.quarter},
        request=request,
        region_code=report.region.code,
    )
