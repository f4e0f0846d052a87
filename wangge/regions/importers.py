"""Parse division lists and boundary files into checked rows; nothing here writes.

Every problem found is collected with its line or feature number, so one run of an import
names all that must be fixed, and the service writes only when there are none.
"""

import csv
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy
import shapely
from shapely.geometry.base import BaseGeometry

from wangge.core import coords
from wangge.core.errors import ImportFailed, ImportProblem
from wangge.regions.models import CODE_LENGTHS, Level

# Coordinates are kept on a 1e-7 degree grid (about 1 cm), so that shared edges written by
# different imports or by the demo generator compare equal.
GRID_SIZE = 1e-7

CSV_LEVELS = {
    "province": Level.PROVINCE,
    "city": Level.CITY,
    "county": Level.COUNTY,
    "town": Level.TOWNSHIP,
    "township": Level.TOWNSHIP,
    "village": Level.VILLAGE,
}
# Columns of the statistical division list (no header row).
COL_CODE, COL_PARENT, COL_NAME, COL_LEVEL, COL_URBAN_RURAL = 0, 1, 2, 3, 8
COL_LON, COL_LAT, COL_PROVINCE, COL_CITY = 12, 13, 15, 16


@dataclass(frozen=True)
class DivisionRow:
    line: int
    code: str
    parent_code: str | None
    name: str
    level: str
    urban_rural_code: str
    centre: tuple[float, float] | None
    province_name: str
    city_name: str


@dataclass(frozen=True)
class BoundaryFeature:
    number: int
    code: str
    geometry: BaseGeometry


def path_code(statistical_code: str, level: str) -> str:
    """620502001000 at township level → 620502001: the code without its padding zeros."""
    length = CODE_LENGTHS[level]
    if statistical_code[length:].strip("0"):
        raise ValueError(
            f"code {statistical_code} is not a {level} code: digits after the first "
            f"{length} must be zeros"
        )
    return statistical_code[:length]


def parent_path(code: str) -> str | None:
    """The parent's code is the child's code less its last level's digits."""
    lengths = sorted(CODE_LENGTHS.values())
    shorter = [length for length in lengths if length < len(code)]
    return code[: shorter[-1]] if shorter else None


def parse_division_csv(text: str, *, crs: str | None) -> list[DivisionRow]:
    rows, problems = [], []
    for number, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not fields or not "".join(fields).strip():
            continue
        try:
            rows.append(parse_division_fields(number, fields, crs=crs))
        except ValueError as error:
            problems.append(ImportProblem(str(error), line=number))
    if not rows and not problems:
        problems.append(ImportProblem("the file holds no division rows"))
    problems.extend(duplicate_code_problems(rows))
    if problems:
        raise ImportFailed(problems)
    return rows


def parse_division_fields(number: int, fields: list[str], *, crs: str | None) -> DivisionRow:
    if len(fields) < 4:
        raise ValueError(
            f"expected at least 4 columns (code, parent, name, level), got {len(fields)}"
        )
    raw_code, raw_parent, name, raw_level = (field.strip() for field in fields[:4])
    if raw_level not in CSV_LEVELS:
        raise ValueError(f"unknown level {raw_level!r}; expected one of {', '.join(CSV_LEVELS)}")
    level = CSV_LEVELS[raw_level]
    if not (raw_code.isdigit() and len(raw_code) == 12):
        raise ValueError(f"code {raw_code!r} is not a 12-digit statistical division code")
    if raw_parent and not (raw_parent.isdigit() and len(raw_parent) == 12):
        raise ValueError(f"parent code {raw_parent!r} is not a 12-digit code")
    if not name:
        raise ValueError("the name is empty")
    code = path_code(raw_code, level)
    expected_parent = parent_path(code)
    if raw_parent and expected_parent and not raw_parent.startswith(expected_parent):
        raise ValueError(f"parent {raw_parent} does not contain {raw_code}")
    return DivisionRow(
        line=number,
        code=code,
        parent_code=expected_parent,
        name=name,
        level=level,
        urban_rural_code=column(fields, COL_URBAN_RURAL),
        centre=parse_centre(fields, crs=crs),
        province_name=column(fields, COL_PROVINCE),
        city_name=column(fields, COL_CITY),
    )


def column(fields: list[str], index: int) -> str:
    return fields[index].strip() if len(fields) > index else ""


def parse_centre(fields: list[str], *, crs: str | None) -> tuple[float, float] | None:
    raw_lon, raw_lat = column(fields, COL_LON), column(fields, COL_LAT)
    if not raw_lon and not raw_lat:
        return None
    try:
        lon, lat = float(raw_lon), float(raw_lat)
    except ValueError:
        raise ValueError(
            f"centre point {raw_lon!r}, {raw_lat!r} is not a pair of numbers"
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"centre point {lon}, {lat} is out of range")
    if crs is None:
        raise ValueError("the file has centre points: say their coordinate system with --crs")
    wgs_lon, wgs_lat = coords.to_wgs84(lon, lat, crs)
    return (round(float(wgs_lon), 7), round(float(wgs_lat), 7))


def duplicate_code_problems(rows: Iterable[DivisionRow]) -> list[ImportProblem]:
    seen: dict[str, int] = {}
    problems = []
    for row in rows:
        if row.code in seen:
            message = f"code {row.code} appears again (first on line {seen[row.code]})"
            problems.append(ImportProblem(message, line=row.line))
        seen.setdefault(row.code, row.line)
    return problems


def parse_boundary_geojson(
    text: str, *, crs: str, code: str | None = None
) -> list[BoundaryFeature]:
    """A bare geometry, a Feature or a FeatureCollection; each feature names its region code
    in properties.code (or adcode), or the caller gives one code for a single geometry."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed([ImportProblem(f"not valid JSON: {error}")]) from None
    features, problems = [], []
    for number, (feature_code, geometry) in enumerate(geojson_items(document, code), start=1):
        try:
            features.append(parse_boundary_feature(number, feature_code, geometry, crs=crs))
        except ValueError as error:
            problems.append(ImportProblem(str(error), feature=number))
    if not features and not problems:
        problems.append(ImportProblem("the file holds no features"))
    if problems:
        raise ImportFailed(problems)
    return features


def geojson_items(document: object, code: str | None) -> list[tuple[str | None, object]]:
    if not isinstance(document, dict):
        return [(code, document)]
    if document.get("type") == "FeatureCollection":
        features = document.get("features")
        items = features if isinstance(features, list) else []
        return [feature_item(feature, code if len(items) == 1 else None) for feature in items]
    if document.get("type") == "Feature":
        return [feature_item(document, code)]
    return [(code, document)]


def feature_item(feature: object, code: str | None) -> tuple[str | None, object]:
    if not isinstance(feature, dict):
        return (code, feature)
    properties = feature.get("properties") or {}
    own = (
        properties.get("code") or properties.get("adcode") if isinstance(properties, dict) else None
    )
    return (str(own) if own is not None else code, feature.get("geometry"))


def parse_boundary_feature(
    number: int, code: str | None, geometry: object, *, crs: str
) -> BoundaryFeature:
    if not code:
        raise ValueError("no region code: give properties.code, or --code for a single geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise ValueError(f"region {code}: geometry is {kind}, not a Polygon or MultiPolygon")
    try:
        shape = shapely.from_geojson(json.dumps(geometry))
    except shapely.errors.GEOSException as error:
        raise ValueError(f"region {code}: unreadable geometry ({error})") from None
    if shape.is_empty:
        raise ValueError(f"region {code}: the geometry is empty")
    if not shapely.is_valid(shape):
        raise ValueError(f"region {code}: invalid polygon ({shapely.is_valid_reason(shape)})")
    wgs84 = to_wgs84_geometry(shape, crs)
    if wgs84.is_empty or not shapely.is_valid(wgs84):
        raise ValueError(f"region {code}: the polygon collapses on the 1e-7° coordinate grid")
    return BoundaryFeature(number=number, code=code.strip(), geometry=wgs84)


def to_wgs84_geometry(shape: BaseGeometry, crs: str) -> BaseGeometry:
    def convert(points: numpy.ndarray) -> numpy.ndarray:
        lon, lat = coords.to_wgs84(points[:, 0], points[:, 1], crs)
        return numpy.column_stack([lon, lat])

    converted = shapely.transform(shape, convert) if crs != "wgs84" else shape
    return shapely.set_precision(converted, GRID_SIZE)
