"""Where the demo's residents live: how many per grid, and points inside each grid."""

import json
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from wangge.demo.geometry.district import URBAN_CODES
from wangge.demo.services import short_village_name
from wangge.regions.models import Level, Region

DISTRICT_PEOPLE = 650_000
SMALL_PEOPLE = 3_000
# Villages of the small population: the demo dispatcher's street (whose first grid is the
# demo grid worker's), another street, a town with its centre, and two mountain townships.
SMALL_VILLAGES = {
    "620502001": 2,
    "620502002": 1,
    "620502100": 2,
    "620502105": 2,
    "620502109": 2,
}
TOWN_CENTRE = "121"
# People per grid, on average: an urban grid serves ~400 households, a town-centre grid a
# few streets, a mountain-village grid one natural village.
MEAN_PEOPLE = {"urban": 800.0, "town": 700.0, "rural": 100.0}
LOCAL_AREA = "620502"


@dataclass(frozen=True)
class GridPlan:
    code: str
    address_prefix: str  # 大城街道进步巷社区
    village: str  # 进步巷
    kind: str  # urban, town, rural
    people: int
    polygon: shapely.Geometry


def grid_kind(urban_rural_code: str) -> str:
    if urban_rural_code in URBAN_CODES:
        return "urban"
    return "town" if urban_rural_code == TOWN_CENTRE else "rural"


def grid_plans(scale: str, people: int | None, rng: random.Random) -> list[GridPlan]:
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE)}
    townships = dict(Region.objects.filter(level=Level.TOWNSHIP).values_list("code", "name"))
    grids = Region.objects.filter(level=Level.GRID, code__startswith=LOCAL_AREA).order_by("code")
    chosen = small_villages(villages) if scale == "small" else None
    weights = []
    for grid in grids.only("code", "boundary"):
        village = villages[grid.code[:12]]
        if chosen is not None and village.code not in chosen:
            continue
        kind = grid_kind(village.urban_rural_code)
        short = short_village_name(village.name)
        prefix = townships[grid.code[:9]] + short
        weight = MEAN_PEOPLE[kind] * rng.uniform(0.6, 1.4)
        weights.append((grid.code, prefix, short.removesuffix("社区"), kind, weight, grid.boundary))
    if scale not in {"small", "district"}:
        raise ValueError(f"Unknown scale {scale!r}: small or district.")
    total = people or (SMALL_PEOPLE if scale == "small" else DISTRICT_PEOPLE)
    factor = total / sum(row[4] for row in weights)
    return [
        GridPlan(
            code,
            prefix,
            village,
            kind,
            max(2, round(weight * factor)),
            polygon_of(boundary),
        )
        for code, prefix, village, kind, weight, boundary in weights
    ]


def small_villages(villages: dict[str, Region]) -> set[str]:
    chosen: set[str] = set()
    for township, count in SMALL_VILLAGES.items():
        codes_in = sorted(code for code in villages if code.startswith(township))
        chosen.update(codes_in[:count])
    return chosen


def polygon_of(boundary: Any) -> shapely.Geometry:
    polygon = shapely.from_geojson(json.dumps(boundary))
    shapely.prepare(polygon)
    return polygon


def points_inside(polygon: shapely.Geometry, count: int, rng: random.Random) -> list[tuple]:
    """`count` random points inside the polygon (rejection sampling in its bounding box)."""
    generator = np.random.default_rng(rng.getrandbits(32))
    min_x, min_y, max_x, max_y = polygon.bounds
    found: list[tuple[float, float]] = []
    while len(found) < count:
        xs = generator.uniform(min_x, max_x, 4 * count + 16)
        ys = generator.uniform(min_y, max_y, 4 * count + 16)
        inside = shapely.contains_xy(polygon, xs, ys)
        found += [(round(x, 6), round(y, 6)) for x, y in zip(xs[inside], ys[inside], strict=True)]
    # Rounded to ~0.1 m, as a survey stores them; a rounded point must stay inside.
    kept = [p for p in found if shapely.contains_xy(polygon, p[0], p[1])]
    return (kept * 2)[:count] if len(kept) < count else kept[:count]
