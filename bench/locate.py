"""Point → grid throughput: `grids_for_points` against a bare shapely STRtree query.

    .venv/bin/python bench/locate.py [--points 1000000] [--province-grids 100000] [--repeat 3]

1. The demo district (real 秦州区 outline, derived grids), loaded into a fresh SQLite database
   in a temporary folder; ours is the public `grids_for_points` (version check included).
2. A synthetic province-sized tiling (Voronoi cells over a 10° × 6° box); ours is the same
   index class (`GridIndex.lookup`), built without a database.
The baseline, in the same process on the same polygons: `shapely.points` + one bulk
`STRtree.query(points, predicate="within")`. Both must give the same answers; the script
checks that before it prints a ratio.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bare_query(tree: shapely.STRtree, codes: numpy.ndarray, lons, lats) -> numpy.ndarray:  # type: ignore[no-untyped-def]
    found = numpy.full(len(lons), None, dtype=object)
    point_index, tree_index = tree.query(shapely.points(lons, lats), predicate="within")
    found[point_index] = codes[tree_index]
    return found


def sorted_bare_query(tree: shapely.STRtree, codes: numpy.ndarray, lons, lats) -> numpy.ndarray:  # type: ignore[no-untyped-def]
    """The bare query given the same Z-order sort that ours applies: isolates the wrapper's
    own overhead from the gain of sorting."""
    from wangge.regions.locate import spatial_order

    order = spatial_order(lons, lats)
    found = numpy.full(len(lons), None, dtype=object)
    point_index, tree_index = tree.query(
        shapely.points(lons[order], lats[order]), predicate="within"
    )
    found[order[point_index]] = codes[tree_index]
    return found


def compare(
    label: str,
    grids: int,
    ours: Callable[[], numpy.ndarray],
    bare: Callable[[], numpy.ndarray],
    sorted_bare: Callable[[], numpy.ndarray],
    points: int,
    repeat: int,
) -> None:
    bare_seconds, bare_found = timed(bare, repeat)
    sorted_seconds, _ = timed(sorted_bare, repeat)
    our_seconds, our_found = timed(ours, repeat)
    inside = bare_found != None  # noqa: E711
    # Points exactly on an edge are "within" nothing; ours assigns them, so compare the rest.
    if not numpy.array_equal(our_found[inside], bare_found[inside]):
        raise SystemExit(f"{label}: answers differ from the bare query")
    print(
        f"{label}: {grids:,} grids, {points:,} points ({inside.sum():,} inside a grid)\n"
        f"  bare STRtree.query : {bare_seconds:6.3f} s  {points / bare_seconds:12,.0f} points/s\n"
        f"  same, Z-sorted     : {sorted_seconds:6.3f} s  "
        f"{points / sorted_seconds:12,.0f} points/s\n"
        f"  grids_for_points   : {our_seconds:6.3f} s  {points / our_seconds:12,.0f} points/s\n"
        f"  ratio (ours / bare throughput): {bare_seconds / our_seconds:.2f}"
        f"  (ours / Z-sorted bare: {sorted_seconds / our_seconds:.2f})"
    )


def district_case(points: int, repeat: int) -> None:
    folder = tempfile.mkdtemp(prefix="wangge-bench-")
    os.environ["WANGGE_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from wangge.demo.services import demo_district_load
    from wangge.regions.locate import current_index, grids_for_points
    from wangge.regions.models import Region

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_district_load()
    print(f"(demo district built in {time.perf_counter() - started:.1f} s, in {folder})")
    district = Region.objects.get(code="620502")
    rng = numpy.random.default_rng(620502)
    outline = shapely.from_geojson(__import__("json").dumps(district.boundary))
    lons, lats = random_points_in(outline, points, rng)
    index = current_index()
    compare(
        "district 620502",
        len(index.codes),
        lambda: grids_for_points(lons, lats),
        lambda: bare_query(index.tree, index.codes, lons, lats),
        lambda: sorted_bare_query(index.tree, index.codes, lons, lats),
        points,
        repeat,
    )


def random_points_in(shape, count: int, rng) -> tuple[numpy.ndarray, numpy.ndarray]:  # type: ignore[no-untyped-def]
    """Uniform points in the shape (rejection sampling in its bounding box)."""
    min_x, min_y, max_x, max_y = shape.bounds
    shapely.prepare(shape)
    lons, lats = numpy.empty(0), numpy.empty(0)
    while len(lons) < count:
        x = rng.uniform(min_x, max_x, count)
        y = rng.uniform(min_y, max_y, count)
        keep = shapely.contains_xy(shape, x, y)
        lons, lats = numpy.concatenate([lons, x[keep]]), numpy.concatenate([lats, y[keep]])
    return lons[:count], lats[:count]


def province_case(grid_total: int, points: int, repeat: int) -> None:
    from wangge.regions.locate import GridIndex

    rng = numpy.random.default_rng(62)
    area = shapely.box(97.0, 33.0, 107.0, 39.0)
    started = time.perf_counter()
    seeds = shapely.multipoints(
        numpy.column_stack([rng.uniform(97, 107, grid_total), rng.uniform(33, 39, grid_total)])
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=area))
    cells = shapely.intersection(cells, area)
    codes = numpy.array([f"62{i:013d}" for i in range(len(cells))], dtype=object)
    shapely.prepare(cells)
    index = GridIndex(version="bench", codes=codes, tree=shapely.STRtree(cells))
    print(
        f"(synthetic tiling of {len(cells):,} cells built in {time.perf_counter() - started:.1f} s)"
    )
    lons, lats = rng.uniform(97, 107, points), rng.uniform(33, 39, points)
    compare(
        "synthetic province",
        len(cells),
        lambda: index.lookup(lons, lats),
        lambda: bare_query(index.tree, index.codes, lons, lats),
        lambda: sorted_bare_query(index.tree, index.codes, lons, lats),
        points,
        repeat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--province-grids", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    versions = f"shapely {shapely.__version__}, GEOS {shapely.geos_version_string}"
    print(f"{versions}, numpy {numpy.__version__}")
    district_case(options.points, options.repeat)
    province_case(options.province_grids, options.points, options.repeat)


if __name__ == "__main__":
    main()
