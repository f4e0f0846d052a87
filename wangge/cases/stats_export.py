"""The statistics table as a spreadsheet (the same rows and numbers as the page), and the
audit entry an export leaves."""

import io
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from wangge.audit.services import record
from wangge.cases import stats

EXPORT_ACTION = "cases.statistics_export"


def header(grouping: str) -> list[str]:
    return [
        str(stats.GROUPINGS[grouping]),
        _("Code"),
        *(str(label) for label in stats.FIGURES.values()),
        *(str(label) for label in stats.RATES.values()),
    ]


def cells_of(sheet: Any, row: stats.Row) -> list[Any]:
    counts = row.counts
    cells: list[Any] = [row.label, row.key, *(counts.value(name) for name in stats.FIGURES)]
    for name in stats.RATES:
        value = counts.value(name)
        cell = WriteOnlyCell(sheet, value=None if value is None else float(value))
        if name != "composite":
            cell.number_format = "0.00%"
        cells.append(cell)
    return cells


def xlsx_bytes(table: stats.Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("Case statistics"))
    filters = table.filters
    sheet.append([_("Period"), filters.start.isoformat(), filters.end.isoformat()])
    sheet.append([_("Region code"), filters.region])
    sheet.append([])
    sheet.append(header(table.grouping))
    for row in [*table.rows, table.total]:
        sheet.append(cells_of(sheet, row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def statistics_export_record(*, actor: Any, table: stats.Table, request: HttpRequest) -> None:
    filters = table.filters
    record(
        actor=actor,
        action=EXPORT_ACTION,
        details={
            "region": filters.region,
            "from": filters.start.isoformat(),
            "to": filters.end.isoformat(),
            "group": table.grouping,
            "rows": len(table.rows),
        },
        request=request,
        region_code=filters.region,
    )
