"""Townships, villages and grids for the demo district, from seeds and the outline."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Polygon

from wangge.demo.geometry.partition import (
    GRID_SIZE,
    cut,
    grid_units,
    inside_point,
    partition,
    snapped_polygon,
)

CORE_RADIUS = 0.015
"""Buffer (degrees, about 1.5 km) around the street centres that forms the urban core."""

PUSH_OUT = 0.01
"""How far (degrees) a town centre lying in the urban core is moved out of it."""

URBAN_CODES = frozenset({"111", "112"})
"""Urban-rural codes of urban communities (main urban area, urban-rural fringe)."""

TOWN_CENTRE_CODE = "121"

_LLOYD_VILLAGE_STEPS = 4
_LLOYD_GRID_STEPS = 3
_ROOT_SEED = 620502


@dataclass(frozen=True)
class TownshipSeed:
    """A township-level division (9-digit code) and its centre point, if known."""

    code: str
    name: str
    point: tuple[float, float] | None


@dataclass(frozen=True)
class VillageSeed:
    """A village-level division (12-digit code) and its centre point, if known."""

    code: str
    township_code: str
    name: str
    urban_rural_code: str
    point: tuple[float, float] | None


@dataclass(frozen=True)
class DerivedDistrict:
    """Derived polygons keyed by code; grid codes are village code + "001", "002", …"""

    townships: dict[str, Polygon]
    villages: dict[str, Polygon]
    grids: dict[str, Polygon]


def load_seeds(csv_path: str | Path) -> tuple[list[TownshipSeed], list[VillageSeed]]:
    """Read the header-less division CSV (code, parent, name, level, …, lon, lat, …).

    Township codes are shortened to the 9-digit path form (620502001000 → 620502001), so
    that a village's ``township_code`` matches the ``code`` of its township.
    """
    townships: list[TownshipSeed] = []
    villages: list[VillageSeed] = []
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 14:
                continue
            code, parent, name, level = row[0], row[1], row[2], row[3]
            point = _parse_point(row[12], row[13])
            if level == "town":
                townships.append(TownshipSeed(code=code[:9], name=name, point=point))
            elif level == "village":
                villages.append(
                    VillageSeed(
                        code=code,
                        township_code=parent[:9],
                        name=name,
                        urban_rural_code=row[8],
                        point=point,
                    )
                )
    return townships, villages


def _parse_point(lon: str, lat: str) -> tuple[float, float] | None:
    """Empty longitude/latitude cells mean "no centre point known"."""
    if not lon.strip() or not lat.strip():
        return None
    return (float(lon), float(lat))


def grid_count_for(village: VillageSeed, rng: np.random.Generator) -> int:
    """How many grids a village gets, sized like real ones.

    An urban community grid serves about 400 households (a community has 1,500–6,000); a rural
    grid is about one natural village: a town centre has 3–6, other villages 2–7.
    """
    if village.urban_rural_code in URBAN_CODES:
        households = int(rng.integers(1500, 6001))
        return max(1, round(households / 400))
    if village.urban_rural_code == TOWN_CENTRE_CODE:
        return int(rng.integers(3, 7))
    return int(rng.integers(2, 8))


def derive_district(
    outline: Polygon | MultiPolygon,
    townships: Sequence[TownshipSeed],
    villages: Sequence[VillageSeed],
    *,
    seed: int = _ROOT_SEED,
) -> DerivedDistrict:
    """Derive township, village and grid polygons that tile ``outline`` exactly.

    Streets (街道) share a compact urban core around their centres; towns and townships (镇,
    乡) share the rest. Villages are Voronoi pieces of their township around known or sampled,
    relaxed centres; grids likewise inside their village. Same inputs and ``seed`` give
    byte-identical output. The outline must be one polygon (a MultiPolygon of one part is
    fine). A township without villages gets no grids, leaving its area uncovered by grids.
    """
    if not townships:
        raise ValueError("at least one township is required")
    district = _district_polygon(outline)
    township_list = sorted(townships, key=lambda t: t.code)
    by_township: dict[str, list[VillageSeed]] = {t.code: [] for t in township_list}
    for village in sorted(villages, key=lambda v: v.code):
        if village.township_code not in by_township:
            raise ValueError(f"village {village.code} has unknown township {village.township_code}")
        by_township[village.township_code].append(village)
    grid_counts = {
        v.code: grid_count_for(v, _rng(seed, 1, v.code)) for vs in by_township.values() for v in vs
    }
    township_grids = {
        code: sum(grid_counts[v.code] for v in vs) for code, vs in by_township.items()
    }
    township_polygons, anchors = _derive_townships(district, township_list, township_grids)
    village_polygons: dict[str, Polygon] = {}
    grid_polygons: dict[str, Polygon] = {}
    for township in township_list:
        members = by_township[township.code]
        if not members:
            continue
        derived = _derive_villages(
            township_polygons[township.code],
            anchors[township.code],
            members,
            grid_counts,
            _rng(seed, 3, township.code),
        )
        village_polygons.update(derived)
        for village in members:
            grid_polygons.update(
                _derive_grids(
                    derived[village.code],
                    village.code,
                    grid_counts[village.code],
                    _rng(seed, 2, village.code),
                )
            )
    return DerivedDistrict(
        townships=dict(sorted(township_polygons.items())),
        villages=dict(sorted(village_polygons.items())),
        grids=dict(sorted(grid_polygons.items())),
    )


def _rng(seed: int, stream: int, code: str) -> np.random.Generator:
    """An independent generator per purpose and division: editing one leaves others alone."""
    return np.random.default_rng([seed, stream, int(code)])


def _district_polygon(outline: Polygon | MultiPolygon) -> Polygon:
    """Snap the outline and add exact vertices along long edges for cuts to end on."""
    polygon = snapped_polygon(outline, GRID_SIZE)
    rings = [_densify_exactly(polygon.exterior.coords, 5e-4, GRID_SIZE)]
    rings += [_densify_exactly(ring.coords, 5e-4, GRID_SIZE) for ring in polygon.interiors]
    densified = Polygon(rings[0], rings[1:])
    if not densified.is_valid:
        raise ValueError("district outline is not a valid polygon")
    return densified


def _densify_exactly(
    coords: Sequence[tuple[float, float]], spacing: float, grid_size: float
) -> np.ndarray:
    """Insert grid points lying exactly on the edges, about every ``spacing`` where possible.

    An edge of ``(dx, dy)`` grid units passes exactly through a grid point every
    ``1/gcd(dx, dy)`` of its length; inserting only those keeps the ring's shape (up to float
    rounding of ~1e-16), where inserting rounded points would bend it by up to a grid cell.
    """
    to_units, from_units = grid_units(grid_size)
    units = np.rint(to_units(np.asarray(coords, dtype=float))).astype(np.int64)
    out: list[np.ndarray] = []
    for start, end in zip(units[:-1], units[1:], strict=True):
        out.append(start)
        delta = end - start
        steps = math.gcd(int(abs(delta[0])), int(abs(delta[1])))
        wanted = math.ceil(math.hypot(*delta) * grid_size / spacing)
        if steps > 1 and wanted > 1:
            positions = sorted({round(i * steps / wanted) for i in range(1, wanted)} - {0, steps})
            out.extend(start + delta // steps * k for k in positions)
    out.append(units[-1])
    return from_units(np.array(out, dtype=float))


def _is_street(township: TownshipSeed) -> bool:
    """街道: by name, or by code (001–099 are streets in the statistical division code)."""
    return township.name.endswith("街道") or int(township.code[6:9]) < 100


def _derive_townships(
    district: Polygon, townships: list[TownshipSeed], grids: dict[str, int]
) -> tuple[dict[str, Polygon], dict[str, np.ndarray]]:
    """Townships tiling the district, plus the point each one's urban villages cluster around.

    Streets share an urban core around their centres; the other townships share the rest.
    """
    streets = [t for t in townships if _is_street(t)]
    if not any(t.point is not None for t in streets):
        streets = []
    street_codes = {t.code for t in streets}
    towns = [t for t in townships if t.code not in street_codes]
    result: dict[str, Polygon] = {}
    anchors: dict[str, np.ndarray] = {}
    rest = district
    core: Polygon | None = None
    if streets:
        known = np.array([t.point for t in streets if t.point is not None], dtype=float)
        core, rest, step = _urban_core(district, known, sum(grids[t.code] for t in streets))
        for street in streets:
            if street.point is not None:
                anchors[street.code] = np.array(street.point, dtype=float)
        for street in streets:
            if street.point is None:
                anchors[street.code] = _farthest_point(core, np.array(list(anchors.values())))
        pieces = partition(
            core, [anchors[t.code] for t in streets], segment_length=step, refine_boundary=False
        )
        result.update({t.code: piece for t, piece in zip(streets, pieces, strict=True)})
    if towns:
        seeds = _town_seeds(rest, core, towns, list(anchors.values()))
        step = _segment_length(rest.area, sum(grids[t.code] for t in towns))
        pieces = partition(
            rest, [seeds[t.code] for t in towns], segment_length=step, refine_boundary=False
        )
        for town, piece in zip(towns, pieces, strict=True):
            result[town.code] = piece
            known_point = town.point if town.point is not None else seeds[town.code]
            anchors[town.code] = np.array(known_point, dtype=float)
    return result, anchors


def _segment_length(area: float, grid_count: int) -> float:
    """Vertex spacing for internal edges: about a tenth of the width of the grids below."""
    width = math.sqrt(area / max(grid_count, 1))
    return min(max(width / 10, 5e-5), 1e-3)


def _urban_core(
    district: Polygon, street_points: np.ndarray, street_grids: int
) -> tuple[Polygon, Polygon, float]:
    """Split the district exactly into an urban core around the street centres and the rest.

    The core is the street centres' convex hull buffered by ``CORE_RADIUS``, cut out of the
    district like any other partition (so it may reach the outline). Returns the core, the
    rest and the vertex spacing used along the core's edge.
    """
    hull = shapely.convex_hull(MultiPoint(street_points))
    disk = shapely.buffer(hull, CORE_RADIUS, quad_segs=16)
    step = _segment_length(disk.area, street_grids)
    ring = shapely.segmentize(disk.exterior, step)
    faces = cut(district, np.array([ring]), GRID_SIZE, None)
    inner = shapely.get_coordinates(shapely.point_on_surface(faces))
    in_core = shapely.contains_xy(disk, inner[:, 0], inner[:, 1])
    if not in_core.any() or in_core.all():
        raise ValueError("the urban core must lie partly inside the district")
    core_parts = shapely.get_parts(shapely.coverage_union_all(faces[in_core]))
    if len(core_parts) > 1:  # keep the part holding most street centres; the others are rest
        held = [int(shapely.contains_xy(p, *street_points.T).sum()) for p in core_parts]
        main = core_parts[int(np.argmax(held))]
        in_core &= shapely.contains_xy(main, inner[:, 0], inner[:, 1])
    rest_parts = shapely.get_parts(shapely.coverage_union_all(faces[~in_core]))
    if len(rest_parts) > 1:  # pockets cut off between the core and the outline join the core
        main = rest_parts[int(np.argmax(shapely.area(rest_parts)))]
        in_core |= ~shapely.contains_xy(main, inner[:, 0], inner[:, 1])
    core = shapely.coverage_union_all(faces[in_core])
    rest = shapely.coverage_union_all(faces[~in_core])
    if not (isinstance(core, Polygon) and isinstance(rest, Polygon)):
        raise ValueError("the urban core does not split the district into two polygons")
    return core, rest, step


def _town_seeds(
    rest: Polygon, core: Polygon | None, towns: list[TownshipSeed], placed: list[np.ndarray]
) -> dict[str, np.ndarray]:
    """Seeds of non-street townships: known centres (moved out of the core) or invented ones."""
    seeds: dict[str, np.ndarray] = {}
    for town in towns:
        if town.point is not None:
            point = np.array(town.point, dtype=float)
            if not shapely.contains_xy(rest, point[0], point[1]):
                point = _out_of_core(rest, core, point)
            seeds[town.code] = point
    for town in towns:  # invented after all known ones, so they keep clear of them all
        if town.code not in seeds:
            others = np.array(list(seeds.values()) + placed).reshape(-1, 2)
            seeds[town.code] = _farthest_point(rest, others)
    return seeds


def _out_of_core(rest: Polygon, core: Polygon | None, point: np.ndarray) -> np.ndarray:
    """Move a centre lying in the city just past the nearest edge of the core.

    Such a town (玉泉镇 has its seat in the city) then spreads around the core on that side
    instead of being squeezed into a sliver.
    """
    if core is not None and shapely.contains_xy(core, point[0], point[1]):
        ring = shapely.get_coordinates(core.exterior)[:-1]
        for index in np.argsort(np.hypot(*(ring - point).T), kind="stable"):
            direction = ring[index] - point
            candidate = ring[index] + PUSH_OUT * direction / np.hypot(*direction)
            if shapely.contains_xy(rest, candidate[0], candidate[1]):
                return candidate
    return inside_point(rest, point, PUSH_OUT)


def _farthest_point(area: Polygon, others: np.ndarray) -> np.ndarray:
    """An interior point far from the other centres and not hugging the boundary.

    Maximises min(distance to the nearest other centre, 1.5 × distance to the boundary) over
    a lattice of candidates; boundary distances (the costly part) are only computed for
    candidates that can still beat the best score found so far.
    """
    minx, miny, maxx, maxy = area.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, 121), np.linspace(miny, maxy, 121))
    candidates = np.column_stack([xs.ravel(), ys.ravel()])
    candidates = candidates[shapely.contains_xy(area, candidates[:, 0], candidates[:, 1])]
    if len(others):
        offsets = candidates[:, None, :] - others[None, :, :]
        to_others = np.hypot(offsets[..., 0], offsets[..., 1]).min(axis=1)
    else:
        to_others = np.full(len(candidates), np.inf)
    order = np.argsort(-to_others, kind="stable")
    best_score, best = -1.0, candidates[order[0]]
    for chunk in np.array_split(order, max(1, len(order) // 256)):
        if to_others[chunk[0]] <= best_score:
            break
        to_boundary = shapely.distance(shapely.points(candidates[chunk]), area.boundary)
        score = np.minimum(to_others[chunk], 1.5 * to_boundary)
        if score.max() > best_score:
            best_score, best = float(score.max()), candidates[chunk[int(np.argmax(score))]]
    return best


def _derive_villages(
    township: Polygon,
    anchor: np.ndarray,
    villages: list[VillageSeed],
    grid_counts: dict[str, int],
    rng: np.random.Generator,
) -> dict[str, Polygon]:
    """Villages tiling a township: known centres stay, the rest are sampled and relaxed."""
    count = len(villages)
    scale = math.sqrt(township.area / count)
    points = np.zeros((count, 2))
    fixed = np.zeros(count, dtype=bool)
    for index, village in enumerate(villages):
        if village.point is not None:
            point = np.array(village.point, dtype=float)
            if not shapely.contains_xy(township, point[0], point[1]):
                point = inside_point(township, point, 0.1 * scale)
            points[index] = point
            fixed[index] = True
    if not shapely.contains_xy(township, anchor[0], anchor[1]):
        anchor = inside_point(township, anchor, 0.1 * scale)
    urban = np.array([v.urban_rural_code in URBAN_CODES for v in villages])
    clustered = ~fixed & urban & (urban.sum() < count)
    uniform = ~fixed & ~clustered
    if clustered.any():  # urban communities of a town lie around its centre
        radius = math.sqrt(township.area * urban.sum() / count / math.pi)
        points[clustered] = _sample_near(township, anchor, 0.5 * radius, clustered.sum(), rng)
    points[uniform] = _sample_inside(township, int(uniform.sum()), rng)
    points = _lloyd(township, points, fixed, _LLOYD_VILLAGE_STEPS, rng)
    total = sum(grid_counts[v.code] for v in villages)
    step = _segment_length(township.area, total)
    pieces = partition(township, points, segment_length=step, refine_boundary=False)
    return {v.code: piece for v, piece in zip(villages, pieces, strict=True)}


def _derive_grids(
    village: Polygon, code: str, count: int, rng: np.random.Generator
) -> dict[str, Polygon]:
    """Grids tiling a village, numbered in rows north to south, each row west to east."""
    if count <= 1:
        return {f"{code}001": village}
    points = _sample_inside(village, count, rng)
    points = _lloyd(village, points, np.zeros(count, dtype=bool), _LLOYD_GRID_STEPS, rng)
    pieces = partition(village, points, refine_boundary=False)
    ordered = [pieces[i] for i in _reading_order(pieces)]
    return {f"{code}{number:03d}": piece for number, piece in enumerate(ordered, start=1)}


def _reading_order(pieces: list[Polygon]) -> list[int]:
    """Rows of about one grid's height from the north, each row read west to east."""
    centres = shapely.get_coordinates(shapely.point_on_surface(np.array(pieces)))
    height = math.sqrt(sum(p.area for p in pieces) / len(pieces))
    rows = np.rint((centres[:, 1].max() - centres[:, 1]) / height)
    return [int(i) for i in np.lexsort((centres[:, 0], rows))]


def _sample_inside(polygon: Polygon, count: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform random points inside the polygon (rejection sampling in its bounding box)."""
    if count == 0:
        return np.zeros((0, 2))
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    total = 0
    for _ in range(1000):
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(max(4 * count, 64), 2))
        batch = batch[shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])]
        found.append(batch)
        total += len(batch)
        if total >= count:
            return np.concatenate(found)[:count]
    raise ValueError("polygon too thin to sample points in")


def _sample_near(
    polygon: Polygon, centre: np.ndarray, sigma: float, count: int, rng: np.random.Generator
) -> np.ndarray:
    """Normally distributed points around ``centre`` that fall inside the polygon."""
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    total = 0
    for _ in range(200):
        batch = rng.normal(centre, sigma, size=(max(4 * count, 64), 2))
        batch = batch[shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])]
        found.append(batch)
        total += len(batch)
        if total >= count:
            return np.concatenate(found)[:count]
    return _sample_inside(polygon, count, rng)


def _lloyd(
    polygon: Polygon,
    points: np.ndarray,
    fixed: np.ndarray,
    steps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Move free points towards their Voronoi cell's centroid, evening out the cell sizes.

    Centroids are taken over uniform sample points of the polygon (k-means), which is much
    cheaper than clipping cells to a polygon with thousands of vertices, and just as even.
    """
    points = points.copy()
    if len(points) < 2 or steps == 0 or fixed.all():
        return points
    samples = _sample_inside(polygon, 64 * len(points), rng)
    for _ in range(steps):
        offsets = samples[:, None, :] - points[None, :, :]
        nearest = np.argmin(np.einsum("ijk,ijk->ij", offsets, offsets), axis=1)
        counts = np.bincount(nearest, minlength=len(points))
        moving = np.flatnonzero(~fixed & (counts > 0))
        sums = np.column_stack([np.bincount(nearest, samples[:, k], len(points)) for k in (0, 1)])
        centroids = sums[moving] / counts[moving, None]
        inside = shapely.contains_xy(polygon, centroids[:, 0], centroids[:, 1])
        points[moving[inside]] = centroids[inside]
    return points
