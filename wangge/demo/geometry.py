"""Derive plausible township, village and grid polygons for the demo district.

The statistical division list gives names, codes and a few centre points, but no boundaries
below the district outline. This module invents them, deterministically, so that every level
tiles its parent *exactly*: the grids of a village cover the village, the villages cover their
township, the townships cover the district, with no gap and no overlap.

Exactness is the hard part. Intersecting Voronoi cells with a parent polygon rounds the points
where a cell edge crosses the parent boundary to the precision grid, which moves them off the
parent's edge, so the children no longer add up to the parent. Instead, every cut line that
reaches the parent boundary is ended on a nearby boundary vertex, all cut lines and the
boundary are noded together once (snap-rounding to ``GRID_SIZE``), and the children are unions
of the resulting faces. The parent boundary therefore keeps its exact vertices, and siblings
share identical edges. Internal edges are densified, so that the next level down finds
vertices to end its own cuts on. (Only where no vertex is near a crossing is the crossing
rounded instead, moving the boundary there by under one grid cell; with the demo data this
never happens.)

Pure geometry: no Django, no database. Coordinates are (lon, lat) degrees in any CRS.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon

GRID_SIZE = 1e-7
"""Precision grid in degrees (about 1 cm); every output coordinate lies on it."""

CORE_RADIUS = 0.015
"""Buffer (degrees, about 1.5 km) around the street centres that forms the urban core."""

PUSH_OUT = 0.01
"""How far (degrees) a town centre lying in the urban core is moved out of it."""

URBAN_CODES = frozenset({"111", "112"})
"""Urban-rural codes of urban communities (main urban area, urban-rural fringe)."""

TOWN_CENTRE_CODE = "121"

_LLOYD_VILLAGE_STEPS = 4
_LLOYD_GRID_STEPS = 3
_SNAP_CANDIDATES = 6
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


# --------------------------------------------------------------------------------------------
# Loading


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


# --------------------------------------------------------------------------------------------
# Exact partition of one polygon


def partition(
    area: Polygon,
    seeds: Sequence[tuple[float, float]],
    *,
    grid_size: float = GRID_SIZE,
    segment_length: float | None = None,
    refine_boundary: bool = True,
) -> list[Polygon]:
    """Split ``area`` into one contiguous Polygon per seed (in seed order), Voronoi style.

    The pieces are valid, share identical edges, do not overlap and their union is ``area``
    snapped to ``grid_size``: its boundary vertices are reused unchanged, never bent. Cut lines
    that reach the boundary are ended on a boundary vertex nearby along the boundary, so the
    pieces are Voronoi cells only up to the spacing of those vertices. Where no vertex is
    within half the distance to the nearest seed, the crossing is rounded to the grid instead,
    which moves the boundary there by less than one grid cell.

    With ``refine_boundary``, the grid point lying exactly on the crossed edge nearest to each
    crossing is added to the boundary first (where the edge passes through one); turn it off
    when the area's edges are shared with polygons partitioned separately, which would lack
    those vertices. ``segment_length`` densifies the new internal edges, so that a later
    partition of a piece finds vertices to end its cuts on. Seeds outside the area are moved
    inside; duplicate seeds are nudged apart.
    """
    polygon = _snapped_polygon(area, grid_size)
    points = _separate_seeds(polygon, seeds, grid_size)
    if len(points) == 1:
        return [_orient(polygon)]
    frame = _frame(polygon)
    sites = MultiPoint(points)
    edges = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, only_edges=True))
    faces = _cut(polygon, edges, grid_size, segment_length, points, refine_boundary)
    cells = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, ordered=True))
    owner = _owner_by_overlap(faces, cells)
    return [_orient(piece) for piece in _contiguous_pieces(faces, owner, points)]


def _snapped_polygon(area: Polygon | MultiPolygon, grid_size: float) -> Polygon:
    """Snap to the precision grid; refuse what cannot become one polygon."""
    snapped = shapely.set_precision(area, grid_size)
    parts = [part for part in shapely.get_parts(snapped) if part.area > 0]
    if len(parts) != 1 or not isinstance(parts[0], Polygon):
        raise ValueError("area must be a single non-empty polygon after snapping")
    return parts[0]


def _frame(polygon: Polygon) -> Polygon:
    """A box well beyond the polygon, so every Voronoi cell edge crosses it completely."""
    minx, miny, maxx, maxy = polygon.bounds
    margin = max(maxx - minx, maxy - miny)
    return shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)


def _separate_seeds(
    polygon: Polygon, seeds: Sequence[tuple[float, float]], grid_size: float
) -> np.ndarray:
    """Move seeds into the polygon and apart from each other (Voronoi needs distinct sites)."""
    points = np.array(seeds, dtype=float).reshape(-1, 2)
    if len(points) == 0:
        raise ValueError("at least one seed is required")
    scale = math.sqrt(polygon.area / len(points))
    inside = shapely.contains_xy(polygon, points[:, 0], points[:, 1])
    for index in np.flatnonzero(~inside):
        points[index] = _inside_point(polygon, points[index], 0.05 * scale)
    min_gap = max(100 * grid_size, 1e-3 * scale)
    accepted: list[np.ndarray] = []
    for index, point in enumerate(points):
        candidate = point
        attempt = 0
        while accepted and (
            np.min(np.hypot(*(np.array(accepted) - candidate).T)) < min_gap
            or not shapely.contains_xy(polygon, candidate[0], candidate[1])
        ):
            attempt += 1
            if attempt > 500:
                raise ValueError("cannot separate the seeds inside the area")
            angle = attempt * 2.399963229728653  # golden angle: spreads the retries evenly
            radius = 2 * min_gap * (1 + attempt // 12)
            candidate = point + radius * np.array([math.cos(angle), math.sin(angle)])
        points[index] = candidate
        accepted.append(candidate)
    return points


def _inside_point(polygon: Polygon, point: np.ndarray, margin: float) -> np.ndarray:
    """The point of the polygon (shrunk by ``margin`` where possible) nearest to ``point``."""
    target: shapely.Geometry = polygon
    if margin > 0:
        shrunk = polygon.buffer(-margin)
        if not shrunk.is_empty:
            target = shrunk
    nearest = shapely.get_coordinates(shapely.shortest_line(target, Point(point)))[0]
    if shapely.contains_xy(polygon, nearest[0], nearest[1]):
        return nearest
    return shapely.get_coordinates(polygon.point_on_surface())[0]


def _cut(
    polygon: Polygon,
    lines: np.ndarray,
    grid_size: float,
    segment_length: float | None,
    seeds: np.ndarray | None = None,
    refine_boundary: bool = False,
) -> np.ndarray:
    """Faces of the polygon cut by ``lines``, tiling it exactly.

    Each cut piece that ends on the boundary is re-ended on a boundary vertex near along the
    boundary (if the re-ended piece stays inside), so noding never inserts a rounded crossing
    point into the boundary, which would bend it off its original line. An end moves at most
    half its distance to the nearest of ``seeds``, so that no seed's cell is squeezed shut.
    """
    clipped = shapely.get_parts(shapely.intersection(lines, polygon))
    clipped = clipped[(shapely.get_type_id(clipped) == 1) & (shapely.length(clipped) > 0)]
    ends = np.column_stack([shapely.get_point(clipped, 0), shapely.get_point(clipped, -1)])
    touching = shapely.dwithin(ends, polygon.boundary, grid_size * 1e-3)
    if refine_boundary and touching.any():
        polygon = _with_grid_points_near(
            polygon, shapely.get_coordinates(ends[touching]), grid_size
        )
    boundary = polygon.boundary
    shapely.prepare(polygon)
    rings = _Rings.of(polygon)
    reach = np.full(touching.shape, np.inf)
    if seeds is not None and len(clipped):
        xy = shapely.get_coordinates(ends.ravel())
        offsets = xy[:, None, :] - seeds[None, :, :]
        nearest = np.sqrt(np.einsum("ijk,ijk->ij", offsets, offsets).min(axis=1))
        reach = 0.5 * nearest.reshape(touching.shape)
    pieces = [
        _anchor_piece(line, touches, polygon, rings, limits)
        for line, touches, limits in zip(clipped, touching, reach, strict=True)
    ]
    if not pieces:
        return np.array([polygon])
    cuts = np.array(pieces)
    if segment_length:
        cuts = shapely.segmentize(cuts, segment_length)
    cuts = _clear_of_boundary(cuts, boundary, grid_size)
    linework = np.concatenate([shapely.get_parts(boundary), cuts])
    noded = shapely.unary_union(linework, grid_size=grid_size)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    inner = shapely.get_coordinates(shapely.point_on_surface(faces))
    return faces[shapely.contains_xy(polygon, inner[:, 0], inner[:, 1])]


def _clear_of_boundary(
    cuts: np.ndarray, boundary: shapely.Geometry, grid_size: float
) -> np.ndarray:
    """Push cut vertices that lie within two grid cells of the boundary a little inward.

    Snap-rounding drags any line passing within half a cell of a vertex through that vertex;
    a cut vertex hugging the boundary would bend the boundary. Ends placed on the boundary
    stay; the same point in several cuts moves the same way, so they stay joined.
    """
    coords, which = shapely.get_coordinates(cuts, return_index=True)
    points = shapely.points(coords)
    shapely.prepare(boundary)
    near = np.flatnonzero(shapely.dwithin(points, boundary, 2 * grid_size))
    if len(near) == 0:
        return cuts
    foot = shapely.get_coordinates(shapely.shortest_line(boundary, points[near]))[0::2]
    away = coords[near] - foot
    distance = np.hypot(away[:, 0], away[:, 1])
    move = distance > grid_size * 1e-3
    coords[near[move]] = foot[move] + away[move] / distance[move, None] * (3 * grid_size)
    return shapely.linestrings(coords, indices=which)


def _with_grid_points_near(polygon: Polygon, points: np.ndarray, grid_size: float) -> Polygon:
    """Add, for each point on the boundary, the nearest grid point lying exactly on its edge.

    An edge of ``(dx, dy)`` grid units passes exactly through a grid point every
    ``1/gcd(dx, dy)`` of its length (axis-parallel edges: every unit). Such a vertex keeps the
    polygon's shape, so a cut can end there without bending the boundary.
    """
    to_units, from_units = _grid_units(grid_size)
    rings = [np.rint(to_units(np.asarray(polygon.exterior.coords))).astype(np.int64)]
    rings += [np.rint(to_units(np.asarray(r.coords))).astype(np.int64) for r in polygon.interiors]
    starts = np.concatenate([ring[:-1] for ring in rings]).astype(float)
    deltas = np.concatenate([np.diff(ring, axis=0) for ring in rings]).astype(float)
    owners = [(r, i) for r, ring in enumerate(rings) for i in range(len(ring) - 1)]
    lengths = np.maximum(np.einsum("ij,ij->i", deltas, deltas), 1)
    extra: dict[tuple[int, int], set[int]] = {}
    for point in to_units(points):
        along = np.clip(np.einsum("ij,ij->i", point - starts, deltas) / lengths, 0, 1)
        gap = point - (starts + along[:, None] * deltas)
        edge = int(np.argmin(np.einsum("ij,ij->i", gap, gap)))
        steps = math.gcd(int(abs(deltas[edge, 0])), int(abs(deltas[edge, 1])))
        position = round(float(along[edge]) * steps)
        if 0 < position < steps:
            extra.setdefault(owners[edge], set()).add(position)
    if not extra:
        return polygon
    new_rings = []
    for number, ring in enumerate(rings):
        out: list[np.ndarray] = []
        for index, (start, end) in enumerate(zip(ring[:-1], ring[1:], strict=True)):
            out.append(start)
            positions = sorted(extra.get((number, index), ()))
            if positions:
                unit = (end - start) // math.gcd(*(int(abs(v)) for v in end - start))
                out.extend(start + unit * k for k in positions)
        out.append(ring[-1])
        new_rings.append(from_units(np.array(out, dtype=float)))
    refined = Polygon(new_rings[0], new_rings[1:])
    return refined if refined.is_valid else polygon


@dataclass(frozen=True)
class _Rings:
    """A polygon's rings as segments, for walking along the boundary from a point on it."""

    starts: np.ndarray  # (n, 2) first vertex of each segment: every ring vertex once
    deltas: np.ndarray  # (n, 2) segment vectors
    ring: np.ndarray  # (n,) ring number of each segment
    along: np.ndarray  # (n,) distance along the ring to the segment's first vertex
    perimeters: np.ndarray  # (rings,)

    @classmethod
    def of(cls, polygon: Polygon) -> _Rings:
        coords = [np.asarray(polygon.exterior.coords)]
        coords += [np.asarray(ring.coords) for ring in polygon.interiors]
        deltas = [np.diff(ring, axis=0) for ring in coords]
        lengths = [np.hypot(d[:, 0], d[:, 1]) for d in deltas]
        return cls(
            starts=np.concatenate([ring[:-1] for ring in coords]),
            deltas=np.concatenate(deltas),
            ring=np.concatenate([np.full(len(d), n) for n, d in enumerate(deltas)]),
            along=np.concatenate([np.r_[0, np.cumsum(ls)[:-1]] for ls in lengths]),
            perimeters=np.array([ls.sum() for ls in lengths]),
        )

    def vertices_near(self, point: np.ndarray, reach: float) -> list[tuple[np.ndarray, float]]:
        """Vertices of the ring through ``point``, nearest along the ring first, within reach.

        Walking along the ring (not across it) keeps a moved cut end on the same stretch of
        boundary, so the cut still separates what it separated.
        """
        squared = np.maximum(np.einsum("ij,ij->i", self.deltas, self.deltas), 1e-300)
        t = np.clip(np.einsum("ij,ij->i", point - self.starts, self.deltas) / squared, 0, 1)
        gaps = point - (self.starts + t[:, None] * self.deltas)
        segment = int(np.argmin(np.einsum("ij,ij->i", gaps, gaps)))
        ring = self.ring[segment]
        position = self.along[segment] + t[segment] * math.sqrt(squared[segment])
        members = np.flatnonzero(self.ring == ring)
        distance = np.abs(self.along[members] - position)
        distance = np.minimum(distance, self.perimeters[ring] - distance)
        order = np.argsort(distance, kind="stable")[:_SNAP_CANDIDATES]
        return [
            (self.starts[members[i]], float(distance[i])) for i in order if distance[i] <= reach
        ]


def _anchor_piece(
    line: LineString,
    touches: np.ndarray,
    polygon: Polygon,
    rings: _Rings,
    reach: np.ndarray,
) -> LineString:
    """Re-end a clipped cut line on boundary vertices, if that keeps it inside and whole.

    ``touches`` says which of its two ends lie on the boundary. The vertices nearest along the
    boundary (at most ``reach`` away) are tried first; a candidate must run inside the
    polygon, touching the boundary only at its ends (a concave boundary may block it; a cut
    along the boundary would erase a cell).
    """
    if not touches.any():
        return line
    coords = shapely.get_coordinates(line)
    options = []
    for end, on_boundary, limit in zip(coords[[0, -1]], touches, reach, strict=True):
        options.append(rings.vertices_near(end, limit) if on_boundary else [(end, 0.0)])
        if not options[-1]:
            return line  # no vertex near: keep the exact crossing

    def by_displacement() -> Iterator[tuple[tuple[np.ndarray, float], tuple[np.ndarray, float]]]:
        """All pairs of candidate ends, least moved first (only built if the nearest fail)."""
        pairs = ((start, end) for start in options[0] for end in options[1])
        yield from sorted(pairs, key=lambda pair: pair[0][1] + pair[1][1])

    for (start, _), (end, _) in chain([(options[0][0], options[1][0])], by_displacement()):
        moved = np.vstack([start, coords[1:-1], end])
        keep = np.concatenate([[True], np.any(np.diff(moved, axis=0) != 0, axis=1)])
        moved = moved[keep]
        if len(moved) < 2:
            break  # both ends on one vertex would erase a cell: keep the exact crossings
        candidate = LineString(moved)
        if shapely.relate_pattern(candidate, polygon, "1FF******"):  # inside, ends on boundary
            return candidate
    return line  # keep the exact crossing: noding rounds it, moving the boundary < 1 cell


def _owner_by_overlap(faces: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Give each face to the Voronoi cell it overlaps most (ties: the lower seed index)."""
    face_index, cell_index = shapely.STRtree(cells).query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[face_index], cells[cell_index]))
    order = np.lexsort((cell_index, -overlap, face_index))
    first = np.r_[True, face_index[order][1:] != face_index[order][:-1]]
    owner = np.full(len(faces), -1)
    owner[face_index[order][first]] = cell_index[order][first]
    return owner  # every face meets some cell: the cells cover the frame around the polygon


def _contiguous_pieces(faces: np.ndarray, owner: np.ndarray, points: np.ndarray) -> list[Polygon]:
    """Union each seed's faces, moving detached parts to the neighbour sharing most border.

    A concave area can split a Voronoi cell into several parts; only the part holding the seed
    stays with it, so that every seed ends up with exactly one contiguous polygon.
    """
    inner = shapely.get_coordinates(shapely.point_on_surface(faces))
    seed_face = _faces_holding(faces, points)
    for seed, face in enumerate(seed_face):
        if not np.any(owner == seed) and face >= 0 and np.sum(owner == owner[face]) > 1:
            owner[face] = seed  # the seed's own cell was all sliver: claim the face it sits in
    for _ in range(len(points) + 5):
        mains: list[Polygon] = []
        detached: list[tuple[int, Polygon, np.ndarray]] = []
        for seed in range(len(points)):
            members = np.flatnonzero(owner == seed)
            if len(members) == 0:
                raise ValueError("a seed lost its whole cell; seeds are too close together")
            parts = shapely.get_parts(shapely.coverage_union_all(faces[members]))
            if len(parts) == 1:
                mains.append(parts[0])
                continue
            keep = _part_of_seed(parts, points[seed])
            mains.append(parts[keep])
            for number, part in enumerate(parts):
                if number != keep:
                    inside = shapely.contains_xy(part, inner[members, 0], inner[members, 1])
                    detached.append((seed, part, members[inside]))
        if not detached:
            return mains
        tree = shapely.STRtree(mains)
        for seed, part, members in detached:
            neighbours = [n for n in tree.query(part, predicate="intersects") if n != seed]
            if not neighbours:
                continue
            shared = shapely.length(
                shapely.intersection(part.boundary, shapely.boundary(np.array(mains)[neighbours]))
            )
            if shared.max() > 0:
                owner[members] = neighbours[int(np.argmax(shared))]
    raise ValueError("could not make every piece contiguous")


def _faces_holding(faces: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Index of the face containing each point (-1 if none)."""
    result = np.full(len(points), -1)
    point_index, face_index = shapely.STRtree(faces).query(
        shapely.points(points), predicate="intersects"
    )
    for point, face in zip(point_index[::-1], face_index[::-1], strict=True):
        result[point] = face
    return result


def _part_of_seed(parts: np.ndarray, point: np.ndarray) -> int:
    """The part containing the seed, else the nearest one."""
    holds = shapely.intersects_xy(parts, point[0], point[1])
    if holds.any():
        return int(np.argmax(holds))
    return int(np.argmin(shapely.distance(parts, Point(point))))


def _orient(polygon: Polygon) -> Polygon:
    """Counter-clockwise shell, clockwise holes (GeoJSON's right-hand rule)."""
    return shapely.orient_polygons(polygon)


# --------------------------------------------------------------------------------------------
# Whole district


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
    polygon = _snapped_polygon(outline, GRID_SIZE)
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
    to_units, from_units = _grid_units(grid_size)
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


def _grid_units(grid_size: float) -> tuple[Callable[[np.ndarray], np.ndarray], ...]:
    """Conversions to and from whole grid units, rounding exactly as GEOS does."""
    if grid_size >= 1:
        return (lambda xy: xy / grid_size), (lambda units: units * grid_size)
    scale = 1 / grid_size
    if abs(scale - round(scale)) < 1e-9 * scale:
        scale = round(scale)
    return (lambda xy: xy * scale), (lambda units: units / scale)


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
    faces = _cut(district, np.array([ring]), GRID_SIZE, None)
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
    return _inside_point(rest, point, PUSH_OUT)


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
                point = _inside_point(township, point, 0.1 * scale)
            points[index] = point
            fixed[index] = True
    if not shapely.contains_xy(township, anchor[0], anchor[1]):
        anchor = _inside_point(township, anchor, 0.1 * scale)
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
    samples = _sample_inside(polygon, 100 * len(points), rng)
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
