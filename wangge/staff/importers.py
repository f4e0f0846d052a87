"""Reading a staff sheet (.xlsx) into rows, naming every cell that is wrong.

The first sheet, first row headers in Chinese or English (see `COLUMNS`), one post per row;
a person with several posts takes several rows with the same user name. Reading checks the
form of each cell; `services.staff_import` checks the rows against the database.
"""

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, mobile_validator
from wangge.core.errors import ImportFailed, ImportProblem
from wangge.regions.models import GridRole

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# field: (Chinese header, English header, required)
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "username": ("用户名", "username", True),
    "name": ("姓名", "name", True),
    "mobile": ("手机号", "mobile", False),
    "role": ("岗位", "role", True),
    "unit": ("单位代码", "unit", True),
    "starts_on": ("起始日期", "starts_on", False),
    "grid_role": ("网格角色", "grid_role", False),
}
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


@dataclass(frozen=True)
class StaffRow:
    line: int
    username: str
    name: str
    mobile: str
    role: str
    unit: str
    starts_on: datetime.date
    grid_role: str


def choice_names(choices: Any) -> dict[str, str]:
    """Each choice by its value, its English label and its Chinese label."""
    names: dict[str, str] = {}
    for value, label in choices.choices:
        names[value] = value
        with translation.override("en"):
            names[str(label)] = value
        with translation.override("zh-hans"):
            names[str(label)] = value
    return names


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    if len(content) > MAX_BYTES:
        raise ImportFailed([ImportProblem(_("The file is larger than 5 MB."))])
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for files that are not .xlsx
        raise ImportFailed(
            [ImportProblem(_("The file is not an Excel workbook (.xlsx)."))]
        ) from None
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def header_positions(header: tuple[Any, ...]) -> dict[str, int]:
    names = [str(cell or "").strip() for cell in header]
    positions, missing = {}, []
    for field, (chinese, english, required) in COLUMNS.items():
        for index, name in enumerate(names):
            if name in (chinese, english):
                positions[field] = index
        if required and field not in positions:
            missing.append(chinese)
    if missing:
        raise ImportFailed(
            [
                ImportProblem(
                    _("The first row lacks the columns: %(names)s.")
                    % {"names": "、".join(missing)},
                    line=1,
                )
            ]
        )
    return positions


def staff_sheet_read(content: bytes) -> list[StaffRow]:
    """The rows of a sheet in which every cell is well formed, or ImportFailed."""
    rows, problems = staff_sheet_parse(content)
    if problems:
        raise ImportFailed(problems)
    return rows


def staff_sheet_parse(content: bytes) -> tuple[list[StaffRow], list[ImportProblem]]:
    """The well-formed rows and the problems of the others, so that the import can check
    the well-formed ones further and name every wrong row at once. A file that cannot be
    read at all raises ImportFailed."""
    rows = sheet_rows(content)
    if not rows:
        raise ImportFailed([ImportProblem(_("The sheet is empty."))])
    positions = header_positions(rows[0])
    body = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(row)]
    if not body:
        raise ImportFailed([ImportProblem(_("The sheet has no rows below the headers."))])
    if len(body) > MAX_ROWS:
        raise ImportFailed(
            [ImportProblem(_("At most %(count)d rows at a time.") % {"count": MAX_ROWS})]
        )
    roles, grid_roles = choice_names(Role), choice_names(GridRole)
    problems: list[ImportProblem] = []
    parsed = []
    for line, row in body:
        cells = {
            field: cell_text(row, index) if field != "starts_on" else cell_value(row, index)
            for field, index in positions.items()
        }
        row_problems = row_check(line, cells, roles, grid_roles)
        problems += row_problems
        if not row_problems:
            parsed.append(row_from(line, cells, roles, grid_roles))
    return parsed, problems


def cell_value(row: tuple[Any, ...], index: int) -> Any:
    return row[index] if index < len(row) else None


def cell_text(row: tuple[Any, ...], index: int) -> str:
    value = cell_value(row, index)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes and mobiles typed as numbers
    return "" if value is None else str(value).strip()


def row_check(
    line: int, cells: dict[str, Any], roles: dict[str, str], grid_roles: dict[str, str]
) -> list[ImportProblem]:
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append(ImportProblem(message, line=line, column=COLUMNS[field][0]))

    for field, (_chinese, _english, required) in COLUMNS.items():
        if required and not cells.get(field):
            problem(field, _("This cell is required."))
    if cells.get("username") and not USERNAME.match(cells["username"]):
        problem("username", _("3 to 150 letters, digits or . @ + - _ only."))
    if cells.get("mobile"):
        try:
            mobile_validator(cells["mobile"])
        except ValidationError as error:
            problem("mobile", " ".join(error.messages))
    if cells.get("role") and cells["role"] not in roles:
        problem("role", _("Unknown post: %(value)s.") % {"value": cells["role"]})
    if cells.get("grid_role") and cells["grid_role"] not in grid_roles:
        problem("grid_role", _("Unknown grid role: %(value)s.") % {"value": cells["grid_role"]})
    if cells.get("starts_on") not in (None, "") and date_of(cells["starts_on"]) is None:
        problem("starts_on", _("Write the date as 2026-01-31."))
    return problems


def date_of(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def row_from(
    line: int, cells: dict[str, Any], roles: dict[str, str], grid_roles: dict[str, str]
) -> StaffRow:
    starts = cells.get("starts_on")
    return StaffRow(
        line=line,
        username=cells["username"],
        name=cells["name"],
        mobile=cells.get("mobile", ""),
        role=roles[cells["role"]],
        unit=cells["unit"],
        starts_on=date_of(starts) if starts not in (None, "") else timezone.localdate(),  # type: ignore[arg-type]
        grid_role=grid_roles[cells["grid_role"]] if cells.get("grid_role") else "",
    )


def staff_sheet_template() -> bytes:
    """An empty sheet with the headers and one example row, to fill in."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "staff"
    sheet.append([chinese for chinese, _english, _required in COLUMNS.values()])
    with translation.override("zh-hans"):
        example = [
            "zhangsan01",
            "张三",
            "13800000000",
            str(Role.GRID_WORKER.label),
            "620502001001001",
            "2026-01-01",
            str(GridRole.FULL_TIME.label),
        ]
    sheet.append(example)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
