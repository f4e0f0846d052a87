"""A period of a form as a spreadsheet in the layout of the form: title rows, the form's fields
as columns in its order, a row per unit grouped by the levels between the unit asked about and
the units that report, a subtotal row per group and level, a total; and the audit entry an
export leaves."""

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from wangge.audit.services import record
from wangge.regions.models import Region
from wangge.reports import rollup
from wangge.reports.periods import Period

EXPORT_ACTION = "reports.rollup_export"
BOLD = Font(bold=True)


def state_label(unit: rollup.UnitValues) -> str:
    labels = {
        rollup.APPROVED: _("approved"),
        rollup.SUBMITTED: _("submitted"),
        rollup.ZERO: _("zero report"),
        rollup.RETURNED: _("returned, not yet in"),
        rollup.DRAFT: _("draft, not yet in"),
        rollup.MISSING: _("not reported"),
    }
    text = str(labels[unit.state])
    if unit.late and unit.state in (rollup.APPROVED, rollup.SUBMITTED, rollup.ZERO):
        text = _("%(state)s, late") % {"state": text}
    return text


def unit_cells(unit: rollup.UnitValues, columns: list[rollup.Column]) -> list[Any]:
    if unit.state == rollup.ZERO:
        cells = [Decimal(0) if c.summed else "" for c in columns]
    elif unit.state in (rollup.APPROVED, rollup.SUBMITTED):
        cells = [rollup.cell_of(column, unit.values) for column in columns]
    else:
        cells = ["" for _column in columns]
    return [unit.name, unit.code, state_label(unit), *cells]


def summed(units: list[rollup.UnitValues], columns: list[rollup.Column]) -> list[Any]:
    """The sums of a group's reports in; blank where none is in, or the column is text."""
    reported = [u for u in units if u.state in (rollup.APPROVED, rollup.SUBMITTED, rollup.ZERO)]
    cells: list[Any] = []
    for column in columns:
        if not column.summed or not reported:
            cells.append("")
            continue
        values = [rollup.cell_of(column, u.values) for u in reported if u.state != rollup.ZERO]
        cells.append(sum((v for v in values if v is not None), Decimal(0)))
    return cells


def covered(units: list[rollup.UnitValues]) -> str:
    count = sum(1 for u in units if u.state in (rollup.APPROVED, rollup.SUBMITTED, rollup.ZERO))
    return _("%(covered)s of %(expected)s units") % {"covered": count, "expected": len(units)}


def bold(sheet: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = BOLD
        cells.append(cell)
    return cells


def grouped_rows(
    sheet: Any,
    units: list[rollup.UnitValues],
    columns: list[rollup.Column],
    prefix_length: int,
    names: dict[str, str],
) -> Iterator[list[Any]]:
    """The units under one group: its subgroups (each with a subtotal) or, at the level of
    the units, their rows."""
    below = rollup.CHILD_LENGTH.get(prefix_length, prefix_length)
    groups: dict[str, list[rollup.UnitValues]] = {}
    for unit in units:
        groups.setdefault(unit.code[:below], []).append(unit)
    for key, members in groups.items():
        if len(members) == 1 and members[0].code == key:
            yield unit_cells(members[0], columns)
            continue
        yield from grouped_rows(sheet, members, columns, below, names)
        label = _("Subtotal: %(unit)s") % {"unit": names.get(key, key)}
        yield bold(sheet, [label, key, covered(members), *summed(members, columns)])


def xlsx_bytes(form: Any, period: Period, parent: Region) -> bytes:
    columns = rollup.columns_of(form)
    units = rollup.unit_values(form, period, parent)
    groups = {u.code[:length] for u in units for length in range(len(parent.code) + 1, 15)}
    names = dict(Region.objects.filter(code__in=groups).values_list("code", "name"))
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(str(form.code)[:31])
    sheet.append(bold(sheet, [form.name]))
    sheet.append(
        [_("Period"), period.start.isoformat(), period.end.isoformat(), parent.name, parent.code]
    )
    sheet.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    header = [_("Unit"), _("Code"), _("Report state"), *(column.label for column in columns)]
    sheet.append(bold(sheet, header))
    for row in grouped_rows(sheet, units, columns, len(parent.code), names):
        sheet.append(row)
    total = _("Total: %(unit)s") % {"unit": parent.name}
    sheet.append(bold(sheet, [total, parent.code, covered(units), *summed(units, columns)]))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rollup_export_record(
    *, actor: Any, form: Any, period: Period, parent: Region, request: HttpRequest
) -> None:
    record(
        actor=actor,
        action=EXPORT_ACTION,
        target=form,
        details={
            "form": form.code,
            "period": period.start.isoformat(),
            "unit": parent.code,
        },
        request=request,
        region_code=parent.code,
    )
