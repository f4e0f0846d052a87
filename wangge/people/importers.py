"""Reading a register file (.csv or .xlsx) into rows of people, naming every wrong cell.

The first row holds the headers in Chinese or English (`COLUMNS`), one person per row.
Code-table cells take the code or the Chinese label. Every row is checked and every problem
collected (row, column, value, reason), so one pass over the file says all that must be fixed.
The grid comes from 网格编码, else from the coordinates (one vectorised lookup for the whole
file), else from the village when it has one grid. Cells that start like a formula
(= + - @) are refused, not neutralised: a register value never starts that way, and a
refused cell cannot turn into a formula in an export later.
"""

import contextlib
import csv
import datetime
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from wangge.core import ids
from wangge.core.coords import SUPPORTED_CRS
from wangge.core.errors import ImportFailed, ImportProblem
from wangge.core.masking import mask_identity_number
from wangge.core.scope import Scope
from wangge.people import codes
from wangge.people.models import CategoryKind
from wangge.people.services import identity_message
from wangge.regions.locate import grids_for_points
from wangge.regions.models import Level, Region

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# field: (Chinese header, English header, longest value)
COLUMNS: dict[str, tuple[str, str, int]] = {
    "id_number": ("公民身份号码", "id_number", 18),
    "name": ("姓名", "name", 64),
    "former_names": ("曾用名", "former_names", 128),
    "sex": ("性别", "sex", 8),
    "birth_date": ("出生日期", "birth_date", 10),
    "ethnicity": ("民族", "ethnicity", 16),
    "marital_status": ("婚姻状况", "marital_status", 16),
    "political_status": ("政治面貌", "political_status", 16),
    "education": ("学历", "education", 16),
    "religion": ("宗教信仰", "religion", 32),
    "occupation": ("职业", "occupation", 64),
    "mobile": ("联系电话", "mobile", 20),
    "registered_region_code": ("户籍地区划代码", "registered_region_code", 12),
    "registered_address": ("户籍地详址", "registered_address", 200),
    "current_address": ("现住地详址", "current_address", 200),
    "region_code": ("网格编码", "region_code", 15),
    "village_code": ("村社区代码", "village_code", 12),
    "lon": ("经度", "lon", 20),
    "lat": ("纬度", "lat", 20),
    "crs": ("坐标系", "crs", 8),
    "category": ("人口类型", "category", 16),
}
REQUIRED = ("id_number", "name")
TEMPLATE_FIELDS = [name for name in COLUMNS if name != "birth_date"]
CODE_TABLES: dict[str, Any] = {
    "sex": codes.Sex,
    "ethnicity": codes.Ethnicity,
    "marital_status": codes.MaritalStatus,
    "political_status": codes.PoliticalStatus,
    "education": codes.Education,
}
FORMULA_STARTS = ("=", "+", "-", "@")
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
DEFAULT_CRS = "gcj02"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CellProblem(ImportProblem):
    """A problem with the value as the error workbook shows it (identity numbers masked)."""

    value: str = ""


@dataclass(slots=True)
class PersonRow:
    line: int
    id_number: str
    region_code: str
    values: dict[str, Any]
    category: str = ""


@dataclass
class Parsed:
    rows: list[PersonRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    total: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {problem.line for problem in self.problems if problem.line is not None}


def refuse(message: str) -> ImportFailed:
    return ImportFailed([CellProblem(message)])


def max_bytes() -> int:
    return int(getattr(settings, "WANGGE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def table_read(content: bytes, *, filename: str, encoding: str = "auto") -> list[Sequence[Any]]:
    """The rows of the file, headers first; a file that cannot be read raises ImportFailed."""
    if len(content) > max_bytes():
        raise refuse(
            _("The file is larger than %(size)d MB.") % {"size": max_bytes() // (1024 * 1024)}
        )
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return xlsx_rows(content)
    return csv_rows(text_decode(content, encoding))


def text_decode(content: bytes, encoding: str) -> str:
    if encoding not in {"auto", "utf-8", "gbk"}:
        raise refuse(_("Unknown encoding: choose auto, utf-8 or gbk."))
    tried = ["utf-8-sig", "gb18030"] if encoding == "auto" else [encoding]
    for name in tried:
        name = "utf-8-sig" if name == "utf-8" else "gb18030" if name == "gbk" else name
        try:
            return content.decode(name)
        except UnicodeDecodeError:
            continue
    raise refuse(_("The file is neither UTF-8 nor GBK text; please save it as UTF-8 CSV."))


def csv_rows(text: str) -> list[Sequence[Any]]:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise refuse(_("The file is not a readable CSV table.")) from None


def xlsx_rows(content: bytes) -> list[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula shows as its text ("=…") and is refused as a formula.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise refuse(
            _("The workbook is damaged or incomplete (.xlsx); please save it again and retry.")
        ) from None
    except Exception:  # openpyxl raises many kinds for files that are not .xlsx
        raise refuse(_("The file is not an Excel workbook (.xlsx).")) from None
    return rows


def header_positions(header: Sequence[Any]) -> dict[str, int]:
    names = [str(cell or "").strip().lstrip("\ufeff") for cell in header]
    positions = {}
    for name, (chinese, english, _length) in COLUMNS.items():
        for index, text in enumerate(names):
            if text in (chinese, english):
                positions[name] = index
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in positions]
    if missing:
        raise ImportFailed(
            [
                CellProblem(
                    _("The first row lacks the columns: %(names)s.")
                    % {"names": "、".join(missing)},
                    line=1,
                )
            ]
        )
    return positions


def cell_text(value: Any) -> str:
    if type(value) is str:  # every CSV cell, most workbook cells
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes and phone numbers typed as numbers
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def code_names(choices: Any) -> dict[str, str]:
    """Each code by itself and by its label (labels of the national tables are Chinese)."""
    names: dict[str, str] = {}
    for value, label in choices.choices:
        names[value] = value
        names[str(label)] = value
    return names


# The categories by their names in GB/T 31000 (data, like the code tables' labels).
CATEGORY_STANDARD_NAMES = {
    "户籍人口": "registered",
    "流动人口": "floating",
    "留守人员": "left_behind",
    "境外人员": "foreign",
}


def category_names() -> dict[str, str]:
    names: dict[str, str] = dict(CATEGORY_STANDARD_NAMES)
    for value, label in CategoryKind.choices:
        names[value] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names[str(label)] = value
    return names


@dataclass
class Context:
    """What checking a row needs from the database, read once per file."""

    grids: set[str]
    village_grids: dict[str, list[str]]
    tables: dict[str, dict[str, str]]
    categories: dict[str, str]
    scope: Scope | None

    @classmethod
    def load(cls, scope: Scope | None) -> "Context":
        grids = set(Region.objects.filter(level=Level.GRID).values_list("code", flat=True))
        village_grids: dict[str, list[str]] = {}
        for code in sorted(grids):
            village_grids.setdefault(code[:12], []).append(code)
        tables = {name: code_names(table) for name, table in CODE_TABLES.items()}
        return cls(grids, village_grids, tables, category_names(), scope)


@dataclass(slots=True)
class Pending:
    """A row whose cells are well formed, waiting for its grid."""

    line: int
    cells: dict[str, str]
    identity: ids.IdentityNumber
    values: dict[str, Any]
    point: tuple[float, float, str] | None


def people_file_parse(
    content: bytes,
    *,
    filename: str,
    encoding: str = "auto",
    scope: Scope | None = None,
    progress: Progress | None = None,
) -> Parsed:
    """The well-formed rows and the problems of the others. A file that cannot be read at
    all, or lacks the required columns, raises ImportFailed."""
    with collector_paused():
        return rows_parse(content, filename, encoding, scope, progress)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A large file makes millions of objects that live until the import ends, and Python's
    cycle collector would walk them all again and again (a sixth of the checking time at
    1,000,000 rows). Reading and writing a file make no cycles: it pauses meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rows_parse(
    content: bytes,
    filename: str,
    encoding: str,
    scope: Scope | None,
    progress: Progress | None,
) -> Parsed:
    table = table_read(content, filename=filename, encoding=encoding)
    if not table:
        raise refuse(_("The file is empty."))
    columns = list(header_positions(table[0]).items())
    context = Context.load(scope)
    identity_read = IdentityReader()
    parsed = Parsed()
    pending: list[Pending] = []
    body = table[1:]
    step = max(1, len(body) // 100)
    for line, row in enumerate(body, start=2):
        if line % step == 0 and progress:
            progress("validated", line - 1, len(body))
        if blank(row):
            continue
        parsed.total += 1
        cells = row_cells(row, columns)
        problems, identity = row_check(line, cells, context, identity_read)
        if identity is None:
            parsed.problems += problems
            continue
        pending.append(pending_from(line, cells, identity, context))
    if not parsed.total:
        raise refuse(_("The file has no rows below the headers."))
    grids_assign(pending, context, parsed)
    duplicates_find(parsed)
    if progress:
        progress("validated", len(body), len(body))
    parsed.problems.sort(key=lambda problem: problem.line or 0)
    return parsed


def blank(row: Sequence[Any]) -> bool:
    # any() settles almost every row; a row of falsy cells may still hold a 0 or False.
    return not any(row) and all(cell in (None, "") for cell in row)


def row_cells(row: Sequence[Any], columns: list[tuple[str, int]]) -> dict[str, str]:
    """The row's non-empty cells as text, by field, in the order of `COLUMNS`."""
    width = len(row)
    cells = {}
    for name, index in columns:
        if index < width:
            value = row[index]
            text = value.strip() if type(value) is str else cell_text(value)
            if text:
                cells[name] = text
    return cells


def problem(line: int, name: str, message: str, value: str = "") -> CellProblem:
    shown = mask_identity_number(value) if name == "id_number" else value[:50]
    return CellProblem(message, line=line, column=COLUMNS[name][0], value=shown)


def row_check(
    line: int, cells: dict[str, str], context: Context, identity_read: "IdentityReader"
) -> tuple[list[CellProblem], ids.IdentityNumber | None]:
    """The row's problems, and its identity number when it has none."""
    found = [
        problem(line, name, _("This cell is required.")) for name in REQUIRED if name not in cells
    ]
    for name, value in cells.items():
        message = cell_message(name, value, context)
        if message is not None:
            found.append(problem(line, name, message, value))
    if found:
        return found, None
    try:
        identity = identity_read(cells["id_number"])
    except ids.InvalidIdentifier as error:
        return [problem(line, "id_number", identity_message(error), cells["id_number"])], None
    found = agreement_check(line, cells, identity, context)
    return found, None if found else identity


def cell_message(name: str, value: str, context: Context) -> str | None:
    """What is wrong with a non-empty cell, or None."""
    if value[0] in FORMULA_STARTS and name not in {"lon", "lat"}:
        return _("Formulas are not accepted; enter the value itself.")
    longest = COLUMNS[name][2]
    if len(value) > longest:
        return _("Too long: at most %(count)d characters.") % {"count": longest}
    check = VALUE_CHECKS.get(name)
    return None if check is None else check(value, context)


def code_check(name: str) -> Callable[[str, Context], str | None]:
    def check(value: str, context: Context) -> str | None:
        return (
            None if value in context.tables[name] else _("Not a code or label of the code table.")
        )

    return check


def category_check(value: str, context: Context) -> str | None:
    return None if value in context.categories else _("Unknown category of resident.")


def mobile_check(value: str, context: Context) -> str | None:
    return None if PHONE.match(value) else _("Not a mobile or landline number.")


def crs_check(value: str, context: Context) -> str | None:
    if value.lower() in SUPPORTED_CRS:
        return None
    return _("The coordinate system is wgs84, gcj02 or bd09.")


def division_check(value: str, context: Context) -> str | None:
    return None if DIGITS.fullmatch(value) else _("A division code has only digits.")


def village_check(value: str, context: Context) -> str | None:
    if not DIGITS.fullmatch(value):
        return _("A division code has only digits.")
    if len(value) != 12:
        return _("A village or community code has 12 digits.")
    return None


def coordinate_check(value: str, context: Context) -> str | None:
    return None if number_or_none(value) is not None else _("Not a number.")


def date_check(value: str, context: Context) -> str | None:
    return None if date_or_none(value) is not None else _("Not a possible date (YYYY-MM-DD).")


DIGITS = re.compile(r"\d+")
VALUE_CHECKS: dict[str, Callable[[str, Context], str | None]] = {
    **{name: code_check(name) for name in CODE_TABLES},
    "category": category_check,
    "mobile": mobile_check,
    "crs": crs_check,
    "registered_region_code": division_check,
    "village_code": village_check,
    "lon": coordinate_check,
    "lat": coordinate_check,
    "birth_date": date_check,
}


IDENTITY_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
IDENTITY_CHECK = "10X98765432"


class IdentityReader:
    """Identity numbers read as `ids.parse_identity_number` reads them, for a whole file at a
    fraction of the cost (it was a third of the checks).

    A number in canonical form (18 characters, digits and a final X) whose birth date was
    accepted earlier in the file is checked here: province and check character. Anything
    else goes to `ids.parse_identity_number`, which raises with its reason, and the birth
    date it accepts is remembered. The GB 11643 weights are the powers of 2 modulo 11, so
    the weighted sum is, modulo 11, twice the 17 digits read as a number in base 13."""

    def __init__(self) -> None:
        self.births: dict[str, datetime.date] = {}

    def __call__(self, value: str) -> ids.IdentityNumber:
        born = self.births.get(value[6:14])
        if (
            born is not None
            and len(value) == 18
            and IDENTITY_SHAPE.fullmatch(value)
            and value[:2] in ids.PROVINCE_PREFIXES
            and IDENTITY_CHECK[2 * int(value[:17], 13) % 11] == value[17]
        ):
            sex: Literal["M", "F"] = "M" if int(value[16]) % 2 else "F"
            return ids.IdentityNumber(value, value[:6], born, sex)
        identity = ids.parse_identity_number(value)
        self.births[identity.number[6:14]] = identity.birth_date
        return identity


def number_or_none(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if numpy.isfinite(number) else None


def date_or_none(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def agreement_check(
    line: int, cells: dict[str, str], identity: ids.IdentityNumber, context: Context
) -> list[CellProblem]:
    """Birth date and sex, when given, must be those of the identity number."""
    found = []
    born = cells.get("birth_date")
    if born and date_or_none(born) != identity.birth_date:
        message = _("The birth date differs from the one in the identity number.")
        found.append(problem(line, "birth_date", message, born))
    sex = cells.get("sex", "")
    expected = "1" if identity.sex == "M" else "2"
    if (
        sex
        and context.tables["sex"].get(sex) in {"1", "2"}
        and context.tables["sex"][sex] != expected
    ):
        message = _("The sex differs from the one in the identity number.")
        found.append(problem(line, "sex", message, sex))
    return found


def pending_from(
    line: int, cells: dict[str, str], identity: ids.IdentityNumber, context: Context
) -> Pending:
    text = cells.get
    code = context.tables
    values: dict[str, Any] = {
        "name": cells["name"],
        "birth_date": identity.birth_date,
        "sex": "1" if identity.sex == "M" else "2",
        "former_names": text("former_names", ""),
        "religion": text("religion", ""),
        "occupation": text("occupation", ""),
        "mobile": text("mobile", ""),
        "registered_region_code": text("registered_region_code", ""),
        "registered_address": text("registered_address", ""),
        "current_address": text("current_address", ""),
        # The code tables but sex, which comes from the identity number.
        "ethnicity": code["ethnicity"].get(text("ethnicity", ""), ""),
        "marital_status": code["marital_status"].get(text("marital_status", ""), ""),
        "political_status": code["political_status"].get(text("political_status", ""), ""),
        "education": code["education"].get(text("education", ""), ""),
    }
    point = None
    if cells.get("lon") and cells.get("lat"):
        crs = (cells.get("crs") or DEFAULT_CRS).lower()
        point = (float(cells["lon"]), float(cells["lat"]), crs)
    return Pending(line, cells, identity, values, point)


def grids_assign(pending: list[Pending], context: Context, parsed: Parsed) -> None:
    """Each row's grid: stated, else located (all points of one system in one lookup), else
    the only grid of its village."""
    located = points_locate(
        [row.point for row in pending if row.point and not row.cells.get("region_code")]
    )
    for row in pending:
        grid, trouble = grid_choose(row, context, located)
        if trouble:
            parsed.problems.append(trouble)
            continue
        if context.scope is not None and not context.scope.covers(grid):
            message = _("This grid is outside the area you may import into.")
            parsed.problems.append(problem(row.line, "region_code", message, grid))
            continue
        category = context.categories.get(row.cells.get("category", ""), "")
        parsed.rows.append(PersonRow(row.line, row.identity.number, grid, row.values, category))


def points_locate(points: list[Any]) -> dict[tuple[float, float, str], str | None]:
    found: dict[tuple[float, float, str], str | None] = {}
    for crs in SUPPORTED_CRS:
        chosen = [point for point in points if point[2] == crs]
        if not chosen:
            continue
        lons = numpy.array([point[0] for point in chosen])
        lats = numpy.array([point[1] for point in chosen])
        for point, grid in zip(chosen, grids_for_points(lons, lats, crs=crs), strict=True):
            found[point] = grid
    return found


def grid_choose(
    row: Pending, context: Context, located: dict[tuple[float, float, str], str | None]
) -> tuple[str, CellProblem | None]:
    stated = row.cells.get("region_code", "")
    if stated:
        if stated not in context.grids:
            return "", problem(row.line, "region_code", _("No grid has this code."), stated)
        return stated, None
    if row.point is not None:
        grid = located.get(row.point)
        if grid is None:
            message = _("The coordinates lie outside every grid of the district.")
            return "", problem(row.line, "lon", message, f"{row.point[0]}, {row.point[1]}")
        return grid, None
    village = row.cells.get("village_code", "")
    if village:
        grids = context.village_grids.get(village, [])
        if len(grids) == 1:
            return grids[0], None
        message = (
            _("This village or community has several grids: please give the grid code.")
            if grids
            else _("No grid lies in this village or community.")
        )
        return "", problem(row.line, "village_code", message, village)
    message = _("Give the grid code, the coordinates or the village or community code.")
    return "", problem(row.line, "region_code", message)


def duplicates_find(parsed: Parsed) -> None:
    """A number twice in the file: both rows are wrong (which one holds is for a person)."""
    first: dict[str, PersonRow] = {}
    twice: set[int] = set()
    for row in parsed.rows:
        earlier = first.setdefault(row.id_number, row)
        if earlier is row:
            continue
        for this, other in ((earlier, row), (row, earlier)):
            message = _("This identity number is also in row %(line)d.") % {"line": other.line}
            parsed.problems.append(problem(this.line, "id_number", message, this.id_number))
            twice.add(this.line)
    if twice:
        parsed.rows = [row for row in parsed.rows if row.line not in twice]


def lines_of(problems: Iterable[ImportProblem]) -> set[int]:
    return {problem.line for problem in problems if problem.line is not None}
