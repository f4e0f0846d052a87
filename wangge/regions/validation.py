"""Check that children tile their parent: no gaps, no overlaps, nothing outside.

Areas are reported in square metres, from degrees scaled at the parent's latitude: accurate
to well under 1% at the size of a district, which is enough to judge and find a problem.
"""

import json
import math
from dataclasses import dataclass

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from wangge.regions.models import Region

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180

KIND_LABELS = {
    "gap": _("gap"),
    "overlap": _("overlap"),
    "outside": _("outside its parent"),
    "no_boundary": _("no boundary"),
}


@dataclass(frozen=True)
class TilingProblem:
    kind: str  # gap | overlap | outside | no_boundary
    parent_code: str
    codes: tuple[str, ...]
    area_m2: float
    where: tuple[float, float] | None  # a point inside the problem, WGS-84

    def __str__(self) -> str:
        place = f" near {self.where[0]:.6f},{self.where[1]:.6f}" if self.where else ""
        codes = ", ".join(self.codes)
        return f"{self.kind} under {self.parent_code} [{codes}] {self.area_m2:,.1f} m²{place}"


def square_metres(geometry: BaseGeometry, latitude: float) -> float:
    scale = METRES_PER_DEGREE**2 * math.cos(math.radians(latitude))
    return float(geometry.area * scale)


def geometry_of(region: Region) -> BaseGeometry | None:
    if region.boundary is None:
        return None
    return shapely.from_geojson(json.dumps(region.boundary))


def tiling_problems(root_code: str, *, min_area_m2: float = 1.0) -> list[TilingProblem]:
    """Every problem under `root_code`, parent by parent, largest first within a parent."""
    regions = list(
        Region.objects.filter(code__startswith=root_code).only(
            "code", "parent_id", "boundary", "level"
        )
    )
    children: dict[str, list[Region]] = {}
    for region in regions:
        if region.parent_id:
            children.setdefault(region.parent_id, []).append(region)
    problems: list[TilingProblem] = []
    for parent in regions:
        if parent.code in children:
            problems.extend(parent_problems(parent, children[parent.code], min_area_m2))
    return problems


def parent_problems(
    parent: Region, children: list[Region], min_area_m2: float
) -> list[TilingProblem]:
    parent_shape = geometry_of(parent)
    shapes = {child.code: geometry_of(child) for child in children}
    missing = [code for code, shape in shapes.items() if shape is None]
    problems = (
        [TilingProblem("no_boundary", parent.code, tuple(missing), 0.0, None)] if missing else []
    )
    drawn = {code: shape for code, shape in shapes.items() if shape is not None}
    if parent_shape is None or not drawn:
        return problems
    latitude = parent_shape.centroid.y
    problems += overlap_problems(parent.code, drawn, latitude, min_area_m2)
    problems += outside_problems(parent.code, parent_shape, drawn, latitude, min_area_m2)
    if not missing:
        problems += gap_problems(parent.code, parent_shape, drawn, latitude, min_area_m2)
    return problems


def pieces(geometry: BaseGeometry) -> list[BaseGeometry]:
    polygons = shapely.get_parts(geometry)
    return [part for part in polygons if part.geom_type == "Polygon" and not part.is_empty]


def problem(
    kind: str, parent_code: str, codes: tuple[str, ...], piece: BaseGeometry, latitude: float
) -> TilingProblem:
    where = shapely.point_on_surface(piece)
    return TilingProblem(
        kind,
        parent_code,
        codes,
        square_metres(piece, latitude),
        (round(where.x, 7), round(where.y, 7)),
    )


def gap_problems(
    parent_code: str,
    parent_shape: BaseGeometry,
    drawn: dict[str, BaseGeometry],
    latitude: float,
    min_area_m2: float,
) -> list[TilingProblem]:
    covered = shapely.union_all(list(drawn.values()))
    found = [
        problem("gap", parent_code, (), piece, latitude)
        for piece in pieces(parent_shape.difference(covered))
    ]
    return sorted(
        (gap for gap in found if gap.area_m2 >= min_area_m2), key=lambda gap: -gap.area_m2
    )


def overlap_problems(
    parent_code: str, drawn: dict[str, BaseGeometry], latitude: float, min_area_m2: float
) -> list[TilingProblem]:
    codes = list(drawn)
    shapes = list(drawn.values())
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    found = []
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        shared = shapes[i].intersection(shapes[j])
        for piece in pieces(shared):
            item = problem("overlap", parent_code, (codes[i], codes[j]), piece, latitude)
            if item.area_m2 >= min_area_m2:
                found.append(item)
    return found


def outside_problems(
    parent_code: str,
    parent_shape: BaseGeometry,
    drawn: dict[str, BaseGeometry],
    latitude: float,
    min_area_m2: float,
) -> list[TilingProblem]:
    found = []
    for code, shape in drawn.items():
        for piece in pieces(shape.difference(parent_shape)):
            item = problem("outside", parent_code, (code,), piece, latitude)
            if item.area_m2 >= min_area_m2:
                found.append(item)
    return found
