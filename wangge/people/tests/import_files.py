"""Register files for the import tests, built in the test (CSV in any encoding, XLSX)."""

import csv
import datetime
import io
import json
from typing import Any

import shapely

from wangge.core.coords import from_wgs84
from wangge.people.importers import COLUMNS, TEMPLATE_FIELDS
from wangge.people.tests.factories import identity_number
from wangge.regions.models import Level, Region

HEADERS = [COLUMNS[name][0] for name in TEMPLATE_FIELDS]
GRID_A = "620502001001001"


def row(**cells: Any) -> dict[str, Any]:
    base = {"id_number": identity_number(), "name": "张伟", "region_code": GRID_A}
    return {**base, **cells}


def csv_bytes(
    rows: list[dict[str, Any]], *, encoding: str = "utf-8", english: bool = False
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_FIELDS if english else HEADERS)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in TEMPLATE_FIELDS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append([cells.get(name, "") for name in TEMPLATE_FIELDS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def point_in(grid: str, crs: str = "gcj02") -> tuple[float, float]:
    boundary = Region.objects.get(code=grid).boundary
    point = shapely.from_geojson(json.dumps(boundary)).representative_point()
    lon, lat = from_wgs84(point.x, point.y, crs)
    return round(float(lon), 7), round(float(lat), 7)


def villages(grids: int) -> str:
    """A village with exactly this many grids (1, or several when > 1)."""
    counts: dict[str, int] = {}
    for code in Region.objects.filter(level=Level.GRID).values_list("code", flat=True):
        counts[code[:12]] = counts.get(code[:12], 0) + 1
    found = next((v for v, n in sorted(counts.items()) if (n == 1) == (grids == 1)), None)
    if found is None and grids == 1:
        village = Region.objects.get(code=GRID_A[:12])
        found = "620502001099"
        Region.objects.create(code=found, name="测试村", level=Level.VILLAGE, parent=village.parent)
        Region.objects.create(
            code=found + "001", name="测试网格", level=Level.GRID, parent_id=found
        )
    assert found is not None
    return found


def unregistered_number(born: datetime.date) -> str:
    """An identity number of the district that no demo resident has."""
    from wangge.people.models import Person

    while True:
        number = identity_number(born)
        if not Person.objects.filter(id_number=number).exists():
            return number


def many_rows(count: int) -> list[dict[str, Any]]:
    grids = list(Region.objects.filter(level=Level.GRID).values_list("code", flat=True)[:50])
    born = datetime.date(1950, 1, 1)
    return [
        row(
            id_number=unregistered_number(born + datetime.timedelta(days=index * 7)),
            name=["张伟", "王芳", "李娜", "刘洋"][index % 4],
            region_code=grids[index % len(grids)],
            ethnicity="汉族",
            mobile=f"139{index:08d}",
        )
        for index in range(count)
    ]
