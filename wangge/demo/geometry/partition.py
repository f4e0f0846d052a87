"""Cut a polygon into one polygon per seed, exactly (see the package docstring)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon

GRID_SIZE = 1e-7
"""Precision grid in degrees (about 1 cm); every output coordinate lies on it."""

_SNAP_CANDIDATES = 6


def partition(
    area: Polygon,
    seeds: npt.ArrayLike,
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
    polygon = snapped_polygon(area, grid_size)
    points = _separate_seeds(polygon, seeds, grid_size)
    if len(points) == 1:
        return [_orient(polygon)]
    frame = _frame(polygon)
    sites = MultiPoint(points)
    edges = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, only_edges=True))
    cells = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, ordered=True))
    for cautious in (False, True):
        faces = cut(polygon, edges, grid_size, segment_length, points, refine_boundary, cautious)
        owner = _owner_by_overlap(faces, cells, points)
        try:
            return [_orient(piece) for piece in _contiguous_pieces(faces, owner, points)]
        except _LostCellError:
            if cautious:
                raise
    raise AssertionError("unreachable")


class _LostCellError(ValueError):
    """A seed ended up without any area (its cell was squeezed shut at the boundary)."""


def snapped_polygon(area: Polygon | MultiPolygon, grid_size: float) -> Polygon:
    """Snap to the precision grid; refuse what cannot become one polygon."""
    if isinstance(area, Polygon) and _on_grid(area, grid_size) and area.is_valid:
        return area  # already snapped, e.g. a piece of an earlier partition
    snapped = shapely.set_precision(area, grid_size)
    parts = [part for part in shapely.get_parts(snapped) if part.area > 0]
    if len(parts) != 1 or not isinstance(parts[0], Polygon):
        raise ValueError("area must be a single non-empty polygon after snapping")
    return parts[0]


def _on_grid(geometry: shapely.Geometry, grid_size: float) -> bool:
    """Whether every coordinate already lies on the precision grid."""
    to_units, from_units = grid_units(grid_size)
    coords = shapely.get_coordinates(geometry)
    return bool(np.array_equal(from_units(np.rint(to_units(coords))), coords))


def _frame(polygon: Polygon) -> Polygon:
    """A box well beyond the polygon, so every Voronoi cell edge crosses it completely."""
    minx, miny, maxx, maxy = polygon.bounds
    margin = max(maxx - minx, maxy - miny)
    return shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)


def _separate_seeds(polygon: Polygon, seeds: npt.ArrayLike, grid_size: float) -> np.ndarray:
    """Move seeds into the polygon and apart from each other (Voronoi needs distinct sites)."""
    points = np.array(seeds, dtype=float).reshape(-1, 2)
    if len(points) == 0:
        raise ValueError("at least one seed is required")
    scale = math.sqrt(polygon.area / len(points))
    inside = shapely.contains_xy(polygon, points[:, 0], points[:, 1])
    for outside in np.flatnonzero(~inside):
        points[outside] = inside_point(polygon, points[outside], 0.05 * scale)
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


def inside_point(polygon: Polygon, point: np.ndarray, margin: float) -> np.ndarray:
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


def cut(
    polygon: Polygon,
    lines: np.ndarray,
    grid_size: float,
    segment_length: float | None,
    seeds: np.ndarray | None = None,
    refine_boundary: bool = False,
    cautious: bool = False,
) -> np.ndarray:
    """Faces of the polygon cut by ``lines``, tiling it exactly.

    Each cut piece that ends on the boundary is re-ended on a boundary vertex near along the
    boundary (if the re-ended piece stays inside), so noding never inserts a rounded crossing
    point into the boundary, which would bend it off its original line. An end moves at most
    half its distance to the nearest of ``seeds``; when ``cautious``, also less than half the
    way to the next crossing, so that no two cuts meet and no cell can be squeezed shut.
    """
    clipped = shapely.get_parts(shapely.intersection(shapely.multilinestrings(lines), polygon))
    clipped = clipped[(shapely.get_type_id(clipped) == 1) & (shapely.length(clipped) > 0)]
    ends = np.column_stack([shapely.get_point(clipped, 0), shapely.get_point(clipped, -1)])
    rings = _Rings.of(polygon)
    touching = rings.near(ends.ravel(), grid_size * 1e-3).reshape(ends.shape)
    if refine_boundary and touching.any():
        polygon = _with_grid_points_near(
            polygon, shapely.get_coordinates(ends[touching]), grid_size
        )
        rings = _Rings.of(polygon)
    boundary = polygon.boundary
    shapely.prepare(polygon)
    reach = np.full(touching.shape, np.inf)
    if seeds is not None and len(clipped):
        xy = shapely.get_coordinates(ends.ravel())
        offsets = xy[:, None, :] - seeds[None, :, :]
        nearest = np.sqrt(np.einsum("ijk,ijk->ij", offsets, offsets).min(axis=1))
        reach = 0.5 * nearest.reshape(touching.shape)
    places: list[list[tuple[int, float] | None]] = [[None, None] for _ in clipped]
    on_ring = np.argwhere(touching)
    if len(on_ring):
        located = rings.locate(shapely.get_coordinates(ends[touching]))
        if cautious:
            reach[touching] = np.minimum(reach[touching], 0.49 * rings.spacing(located))
        for (i, j), place in zip(on_ring, located, strict=True):
            places[i][j] = place
    shapely.prepare(boundary)
    anchored = [
        _anchor_piece(line, where, polygon, boundary, rings, limits, not cautious)
        for line, where, limits in zip(clipped, places, reach, strict=True)
    ]
    pieces = [piece for piece in anchored if piece is not None]
    if not pieces:
        return np.array([polygon])
    cuts = np.array(pieces)
    if segment_length:
        cuts = shapely.segmentize(cuts, segment_length)
    cuts = _clear_of_boundary(cuts, boundary, rings, grid_size)
    linework = np.concatenate([shapely.get_parts(boundary), cuts])
    noded = shapely.unary_union(linework, grid_size=grid_size)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    inner = shapely.get_coordinates(shapely.point_on_surface(faces))
    return faces[shapely.contains_xy(polygon, inner[:, 0], inner[:, 1])]


def _clear_of_boundary(
    cuts: np.ndarray, boundary: shapely.Geometry, rings: _Rings, grid_size: float
) -> np.ndarray:
    """Push cut vertices that lie within two grid cells of the boundary a little inward.

    Snap-rounding drags any line passing within half a cell of a vertex through that vertex;
    a cut vertex hugging the boundary would bend the boundary. Ends placed on the boundary
    stay; the same point in several cuts moves the same way, so they stay joined.
    """
    coords, which = shapely.get_coordinates(cuts, return_index=True)
    points = shapely.points(coords)
    near = np.flatnonzero(rings.near(points, 2 * grid_size))
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
    to_units, from_units = grid_units(grid_size)
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
    index: shapely.STRtree  # the segments, for "is this point near the boundary"

    @classmethod
    def of(cls, polygon: Polygon) -> _Rings:
        coords = [np.asarray(polygon.exterior.coords)]
        coords += [np.asarray(ring.coords) for ring in polygon.interiors]
        deltas = [np.diff(ring, axis=0) for ring in coords]
        lengths = [np.hypot(d[:, 0], d[:, 1]) for d in deltas]
        starts = np.concatenate([ring[:-1] for ring in coords])
        stacked = np.concatenate(deltas)
        segments = shapely.linestrings(np.stack([starts, starts + stacked], axis=1))
        return cls(
            starts=starts,
            deltas=stacked,
            ring=np.concatenate([np.full(len(d), n) for n, d in enumerate(deltas)]),
            along=np.concatenate([np.r_[0, np.cumsum(ls)[:-1]] for ls in lengths]),
            perimeters=np.array([ls.sum() for ls in lengths]),
            index=shapely.STRtree(segments),
        )

    def near(self, points: np.ndarray, distance: float) -> np.ndarray:
        """Which points lie within ``distance`` of the boundary."""
        result = np.zeros(len(points), dtype=bool)
        result[self.index.query(points, predicate="dwithin", distance=distance)[0]] = True
        return result

    def locate(self, points: np.ndarray) -> list[tuple[int, float]]:
        """The ring each boundary point lies on, and its distance along that ring."""
        squared = np.maximum(np.einsum("ij,ij->i", self.deltas, self.deltas), 1e-300)
        offsets = points[:, None, :] - self.starts[None, :, :]
        t = np.clip(np.einsum("kij,ij->ki", offsets, self.deltas) / squared, 0, 1)
        gaps = offsets - t[:, :, None] * self.deltas[None, :, :]
        segment = np.argmin(np.einsum("kij,kij->ki", gaps, gaps), axis=1)
        rows = np.arange(len(points))
        position = self.along[segment] + t[rows, segment] * np.sqrt(squared[segment])
        return [(int(r), float(p)) for r, p in zip(self.ring[segment], position, strict=True)]

    def spacing(self, places: list[tuple[int, float]]) -> np.ndarray:
        """For each place on the boundary, the distance along its ring to the nearest other."""
        result = np.full(len(places), np.inf)
        for ring in {ring for ring, _ in places}:
            members = [i for i, (r, _) in enumerate(places) if r == ring]
            positions = np.array([places[i][1] for i in members])
            unique = np.unique(positions)
            if len(unique) < 2:
                continue
            perimeter = self.perimeters[ring]
            cyclic = np.concatenate([unique[-1:] - perimeter, unique, unique[:1] + perimeter])
            gaps = np.diff(cyclic)
            nearest = np.minimum(gaps[:-1], gaps[1:])
            result[members] = nearest[np.searchsorted(unique, positions)]
        return result

    def vertices_near(
        self, place: tuple[int, float], reach: float
    ) -> list[tuple[np.ndarray, float]]:
        """Vertices of the ring at ``place``, nearest along the ring first, within reach.

        Walking along the ring (not across it) keeps a moved cut end on the same stretch of
        boundary, so the cut still separates what it separated.
        """
        ring, position = place
        members = np.flatnonzero(self.ring == ring)
        distance = np.abs(self.along[members] - position)
        distance = np.minimum(distance, self.perimeters[ring] - distance)
        order = np.argsort(distance, kind="stable")[:_SNAP_CANDIDATES]
        return [
            (self.starts[members[i]], float(distance[i])) for i in order if distance[i] <= reach
        ]


def _anchor_piece(
    line: LineString,
    places: list[tuple[int, float] | None],
    polygon: Polygon,
    boundary: shapely.Geometry,
    rings: _Rings,
    reach: np.ndarray,
    may_drop: bool,
) -> LineString | None:
    """Re-end a clipped cut line on boundary vertices, if that keeps it inside and whole.

    ``places`` locates each of its two ends on the boundary (``None``: inside). The vertices
    nearest along the boundary (at most ``reach`` away) are tried first; a candidate must run
    inside the polygon, touching the boundary only at its ends (a concave boundary may block
    it). A cut across a corner whose nearest vertices leave nothing to cut (both ends on one
    vertex, or on the two ends of one edge) is dropped when ``may_drop``: the sliver it cut
    off joins the neighbouring face. Without a usable vertex the exact line is kept.
    """
    if places[0] is None and places[1] is None:
        return line
    coords = shapely.get_coordinates(line)
    options = []
    for end, place, limit in zip(coords[[0, -1]], places, reach, strict=True):
        options.append([(end, 0.0)] if place is None else rings.vertices_near(place, limit))
        if not options[-1]:
            return line  # no vertex near: keep the exact crossing
    nearest = _re_ended(coords, options[0][0][0], options[1][0][0])
    if nearest is None or shapely.covers(boundary, nearest):
        return None if may_drop else line

    def by_displacement() -> Iterator[tuple[tuple[np.ndarray, float], tuple[np.ndarray, float]]]:
        """All pairs of candidate ends, least moved first (only built if the nearest fail)."""
        pairs = ((start, end) for start in options[0] for end in options[1])
        yield from sorted(pairs, key=lambda pair: pair[0][1] + pair[1][1])

    for (start, _), (end, _) in chain([(options[0][0], options[1][0])], by_displacement()):
        candidate = _re_ended(coords, start, end)
        if candidate is not None and shapely.relate_pattern(candidate, polygon, "1FF******"):
            return candidate  # runs inside, touching the boundary only at its ends
    return line  # keep the exact crossing: noding rounds it, moving the boundary < 1 cell


def _re_ended(coords: np.ndarray, start: np.ndarray, end: np.ndarray) -> LineString | None:
    """The line with new end points, or ``None`` if it collapses to a point."""
    moved = np.vstack([start, coords[1:-1], end])
    keep = np.concatenate([[True], np.any(np.diff(moved, axis=0) != 0, axis=1)])
    return LineString(moved[keep]) if keep.sum() >= 2 else None


def _owner_by_overlap(faces: np.ndarray, cells: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Give each face to the Voronoi cell it overlaps most (ties: the lower seed index).

    Usually the cell of the seed nearest to a point inside the face holds over half of it,
    which settles the matter with one intersection; other faces compare all their cells.
    """
    inner = shapely.get_coordinates(shapely.point_on_surface(faces))
    offsets = inner[:, None, :] - seeds[None, :, :]
    owner = np.argmin(np.einsum("ijk,ijk->ij", offsets, offsets), axis=1)
    held = shapely.area(shapely.intersection(faces, cells[owner]))
    unsure = np.flatnonzero(held <= 0.5 * shapely.area(faces))
    if len(unsure) == 0:
        return owner
    face_index, cell_index = shapely.STRtree(cells).query(faces[unsure], predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[unsure][face_index], cells[cell_index]))
    order = np.lexsort((cell_index, -overlap, face_index))
    first = np.r_[True, face_index[order][1:] != face_index[order][:-1]]
    owner[unsure[face_index[order][first]]] = cell_index[order][first]
    return owner


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
                raise _LostCellError("a seed lost its whole cell; seeds are too close together")
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


def grid_units(grid_size: float) -> tuple[Callable[[np.ndarray], np.ndarray], ...]:
    """Conversions to and from whole grid units, rounding exactly as GEOS does."""
    if grid_size >= 1:
        return (lambda xy: xy / grid_size), (lambda units: units * grid_size)
    scale = 1 / grid_size
    if abs(scale - round(scale)) < 1e-9 * scale:
        scale = round(scale)
    return (lambda xy: xy * scale), (lambda units: units / scale)
