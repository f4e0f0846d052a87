"""The derived demo boundaries must tile exactly: district → townships → villages → grids."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box, shape

from wangge.demo.geometry import (
    GRID_SIZE,
    DerivedDistrict,
    TownshipSeed,
    VillageSeed,
    derive_district,
    grid_count_for,
    load_seeds,
    partition,
)

DATA = Path(__file__).resolve().parent.parent / "data"
CSV = DATA / "divisions-620502.csv"
OUTLINE = DATA / "boundary-620502-gcj02.json"
U_SHAPE = box(0, 0, 3, 3).difference(box(1, 1, 2, 3))


@pytest.fixture(scope="module")
def outline() -> Polygon:
    """The real outline; its GCJ-02 coordinates stand in for WGS-84 (the algorithm is CRS-blind)."""
    return shape(json.loads(OUTLINE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def seeds() -> tuple[list[TownshipSeed], list[VillageSeed]]:
    return load_seeds(CSV)


@pytest.fixture(scope="module")
def derived(outline: Polygon, seeds: tuple[list[TownshipSeed], list[VillageSeed]]):
    return derive_district(outline, *seeds)


def children_of(mapping: dict[str, Polygon], parent_code: str) -> list[Polygon]:
    return [polygon for code, polygon in mapping.items() if code.startswith(parent_code)]


def assert_tiles(children: list[Polygon], parent: Polygon) -> None:
    """Children are valid single polygons, a valid coverage, inside and adding up to parent."""
    array = np.array(children, dtype=object)
    assert all(isinstance(child, Polygon) for child in children)
    assert shapely.is_valid(array).all()
    assert shapely.coverage_is_valid(array)
    assert shapely.area(array).sum() == pytest.approx(parent.area, rel=1e-9)
    outside = shapely.area(shapely.difference(array, parent))
    assert outside.max() <= 1e-12 * parent.area


# ---------------------------------------------------------------------------------------------
# Loading


def test_load_seeds_reads_the_division_list(seeds) -> None:
    townships, villages = seeds
    assert len(townships) == 23
    assert len(villages) == 463
    assert all(len(t.code) == 9 for t in townships)
    assert all(len(v.code) == 12 and v.code.startswith(v.township_code) for v in villages)
    assert sum(t.point is not None for t in townships) == 22
    assert sum(v.point is not None for v in villages) == 7
    by_code = {t.code: t for t in townships}
    assert by_code["620502001"].name == "大城街道"
    assert by_code["620502204"].point is None
    assert {v.urban_rural_code for v in villages} == {"111", "112", "121", "210", "220"}


def test_grid_count_for_sizes_grids_like_real_ones() -> None:
    rng = np.random.default_rng(1)

    def counts(code: str) -> set[int]:
        village = VillageSeed("620502100001", "620502100", "x", code, None)
        return {grid_count_for(village, rng) for _ in range(300)}

    assert counts("111") <= set(range(4, 16)) and len(counts("111")) > 5
    assert counts("121") == {3, 4, 5, 6}
    assert counts("220") == {2, 3, 4, 5, 6, 7}


# ---------------------------------------------------------------------------------------------
# partition


def test_partition_of_a_concave_polygon_gives_one_polygon_per_seed() -> None:
    # The cell of the seed next to the U's gap reaches across it into the right arm.
    seeds = [(0.95, 2.0), (0.2, 0.2), (2.8, 0.2)]
    pieces = partition(U_SHAPE, seeds)
    assert len(pieces) == 3
    assert_tiles(pieces, U_SHAPE)
    for piece, seed in zip(pieces, seeds, strict=True):
        assert piece.intersects(Point(seed))
    assert pieces[2].contains(Point(2.5, 2.5))


def test_partition_moves_outside_and_duplicate_seeds() -> None:
    seeds = [(1.5, 2.5), (0.5, 0.5), (0.5, 0.5), (9.0, 9.0)]
    pieces = partition(U_SHAPE, seeds)
    assert len(pieces) == 4
    assert_tiles(pieces, U_SHAPE)


def test_partition_snaps_to_the_precision_grid() -> None:
    area = Polygon([(0.1, 0.1), (1.3, 0.2), (1.1, 1.7), (0.2, 1.2)])
    pieces = partition(area, [(0.4, 0.4), (0.9, 0.5), (0.6, 1.1), (0.5, 0.8)], grid_size=1e-3)
    coords = shapely.get_coordinates(np.array(pieces, dtype=object))
    assert np.array_equal(np.rint(coords * 1e3) / 1e3, coords)
    assert_tiles(pieces, area)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 3), st.floats(0, 3)),
        min_size=1,
        max_size=12,
    )
)
def test_partition_tiles_for_any_seeds(seeds: list[tuple[float, float]]) -> None:
    pieces = partition(U_SHAPE, seeds, segment_length=0.05)
    assert len(pieces) == len(seeds)
    assert_tiles(pieces, U_SHAPE)


# ---------------------------------------------------------------------------------------------
# The real district


def test_counts_and_codes(derived: DerivedDistrict) -> None:
    assert len(derived.townships) == 23
    assert len(derived.villages) == 463
    grids_per_village: dict[str, int] = defaultdict(int)
    for code in derived.grids:
        assert len(code) == 15 and code.isdigit()
        grids_per_village[code[:12]] += 1
    assert set(grids_per_village) == set(derived.villages)
    for village, count in grids_per_village.items():
        expected = {f"{village}{number:03d}" for number in range(1, count + 1)}
        assert expected <= set(derived.grids)


def test_every_coordinate_is_on_the_precision_grid(derived: DerivedDistrict) -> None:
    scale = round(1 / GRID_SIZE)  # GEOS rounds to round(x * scale) / scale
    for level in (derived.townships, derived.villages, derived.grids):
        coords = shapely.get_coordinates(np.array(list(level.values()), dtype=object))
        assert np.array_equal(np.rint(coords * scale) / scale, coords)


def test_each_level_is_one_valid_coverage(derived: DerivedDistrict) -> None:
    """Across parents too: neighbours in different townships share identical edges."""
    for level in (derived.townships, derived.villages, derived.grids):
        assert shapely.coverage_is_valid(np.array(list(level.values()), dtype=object))


def test_townships_tile_the_district(derived: DerivedDistrict, outline: Polygon) -> None:
    assert_tiles(list(derived.townships.values()), outline)


def test_villages_tile_their_township(derived: DerivedDistrict) -> None:
    for code, township in derived.townships.items():
        assert_tiles(children_of(derived.villages, code), township)


def test_grids_tile_their_village(derived: DerivedDistrict) -> None:
    for code, village in derived.villages.items():
        assert_tiles(children_of(derived.grids, code), village)


def test_random_points_fall_in_exactly_one_grid(derived: DerivedDistrict, outline: Polygon) -> None:
    grids = np.array(list(derived.grids.values()), dtype=object)
    minx, miny, maxx, maxy = outline.bounds
    xy = np.random.default_rng(620502).uniform((minx, miny), (maxx, maxy), size=(20_000, 2))
    points = shapely.points(xy)
    hits = np.bincount(
        shapely.STRtree(grids).query(points, predicate="intersects")[0], minlength=len(xy)
    )
    inside = shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
    assert inside.sum() > 5_000
    assert (hits[inside] == 1).all()
    assert (hits[~inside] == 0).all()


def test_streets_are_small_and_central(derived: DerivedDistrict, seeds) -> None:
    townships, _ = seeds
    streets = [t.code for t in townships if t.name.endswith("街道")]
    towns = [t.code for t in townships if not t.name.endswith("街道")]
    assert len(streets) == 7 and len(towns) == 16
    largest_street = max(derived.townships[c].area for c in streets)
    assert largest_street < min(derived.townships[c].area for c in towns)


def test_yuquan_surrounds_the_city_rather_than_being_a_sliver(derived: DerivedDistrict) -> None:
    yuquan = derived.townships["620502100"]
    neighbours = [
        code
        for code, street in derived.townships.items()
        if int(code[6:9]) < 100 and yuquan.boundary.intersection(street.boundary).length > 0
    ]
    assert len(neighbours) >= 4
    assert yuquan.area > 2 * max(derived.townships[c].area for c in neighbours)


def test_grids_are_numbered_north_to_south(derived: DerivedDistrict) -> None:
    for code in derived.villages:
        grids = children_of(derived.grids, code)
        if len(grids) < 2:
            continue
        tops = [shapely.get_coordinates(g.point_on_surface())[0, 1] for g in grids]
        row_height = np.sqrt(sum(g.area for g in grids) / len(grids))
        assert tops[0] >= max(tops) - row_height
        assert tops[-1] <= min(tops) + row_height


# ---------------------------------------------------------------------------------------------
# Determinism on a small synthetic district


def synthetic() -> tuple[Polygon, list[TownshipSeed], list[VillageSeed]]:
    """Two streets, three towns (one without a centre, one whose centre is in the city)."""
    outline = Polygon(
        [(105.0, 34.0), (105.3, 34.0), (105.3, 34.2), (105.17, 34.2), (105.15, 34.12)]
        + [(105.13, 34.2), (105.0, 34.2)]
    )
    townships = [
        TownshipSeed("123456001", "甲街道", (105.05, 34.10)),
        TownshipSeed("123456002", "乙街道", (105.07, 34.10)),
        TownshipSeed("123456100", "丙镇", (105.06, 34.10)),
        TownshipSeed("123456101", "丁镇", (105.25, 34.05)),
        TownshipSeed("123456200", "戊乡", None),
    ]
    codes = ["111", "121", "220"]
    villages = [
        VillageSeed(
            f"{t.code}{n:03d}",
            t.code,
            f"{t.name}{n}",
            "111" if t.name.endswith("街道") else codes[n - 1],
            (105.26, 34.06) if (t.code, n) == ("123456101", 1) else None,
        )
        for t in townships
        for n in (1, 2, 3)
    ]
    return outline, townships, villages


def wkb_of(district: DerivedDistrict) -> list[tuple[str, bytes]]:
    return [
        (code, shapely.to_wkb(polygon))
        for level in (district.townships, district.villages, district.grids)
        for code, polygon in level.items()
    ]


def test_same_seed_gives_identical_output() -> None:
    outline, townships, villages = synthetic()
    first = derive_district(outline, townships, villages, seed=7)
    second = derive_district(outline, list(reversed(townships)), villages, seed=7)
    assert wkb_of(first) == wkb_of(second)
    assert wkb_of(first) != wkb_of(derive_district(outline, townships, villages, seed=8))
    assert_tiles(list(first.townships.values()), outline)
    for code, village in first.villages.items():
        assert_tiles(children_of(first.grids, code), village)
