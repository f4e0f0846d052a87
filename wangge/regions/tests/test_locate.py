import json
import uuid

import numpy
import pytest
import shapely
from shapely.geometry import box

from wangge.core import coords
from wangge.regions import locate, services
from wangge.regions.models import BoundaryVersion, Level, Region


@pytest.fixture
def grids(db) -> dict[str, shapely.Geometry]:
    rows = Region.objects.filter(level=Level.GRID).values_list("code", "boundary")
    return {code: shapely.from_geojson(json.dumps(boundary)) for code, boundary in rows}


def inside_point(shape: shapely.Geometry) -> tuple[float, float]:
    point = shapely.point_on_surface(shape)
    return point.x, point.y


def test_a_point_inside_a_grid_finds_that_grid(grids):
    code = "620502001001001"
    assert locate.grid_for_point(*inside_point(grids[code])) == code


def test_a_point_outside_the_district_finds_no_grid(db):
    assert locate.grid_for_point(116.39, 39.91) is None  # Beijing


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_points_given_in_chinese_map_systems_are_converted_first(grids, crs):
    code = "620502103200001"
    lon, lat = inside_point(grids[code])
    shifted_lon, shifted_lat = coords.from_wgs84(lon, lat, crs)

    assert locate.grid_for_point(shifted_lon, shifted_lat, crs=crs) == code


def test_bulk_lookup_agrees_with_a_plain_containment_test(grids):
    district = Region.objects.get(code="620502")
    rng = numpy.random.default_rng(7)
    lons = rng.uniform(district.min_lon, district.max_lon, 30_000)  # above the sort threshold
    lats = rng.uniform(district.min_lat, district.max_lat, 30_000)

    found = locate.grids_for_points(lons, lats)

    codes = list(grids)
    tree = shapely.STRtree(list(grids.values()))
    for i in rng.choice(len(lons), 300, replace=False):
        hits = tree.query(shapely.Point(lons[i], lats[i]), predicate="within")
        assert found[i] == (codes[hits[0]] if len(hits) else None)
    outline = shapely.from_geojson(json.dumps(district.boundary))
    inside = shapely.contains_xy(outline, lons, lats)
    assert ((found != None) == inside).all()  # noqa: E711  every point inside has a grid, no other
    assert inside.sum() > 10_000


def test_a_point_on_the_edge_between_two_grids_goes_to_the_lower_code(grids):
    village = sorted(code for code in grids if code.startswith("620502001001"))
    shared = next(
        line
        for first in village
        for second in village
        if first < second
        and (line := grids[first].boundary.intersection(grids[second].boundary)).length > 0
    )
    point = shapely.get_coordinates(shared)[0]

    assert locate.grid_for_point(point[0], point[1]) == min(
        code for code, shape in grids.items() if shape.intersects(shapely.Point(point))
    )


def test_the_index_is_rebuilt_when_another_process_changes_boundaries(db):
    code = "620502001001001"
    locate.grid_for_point(0.5, 0.5)  # builds the index for the current boundaries
    # What another process would commit: a new boundary and a new stamp, without this
    # process's services being involved.
    Region.objects.filter(code=code).update(
        boundary=json.loads(shapely.to_geojson(box(0, 0, 1, 1)))
    )
    BoundaryVersion.objects.filter(pk=1).update(stamp=uuid.uuid4().hex)

    assert locate.grid_for_point(0.5, 0.5) == code


def test_the_index_follows_boundary_edits_made_through_the_services(db):
    code = "620502001001001"
    assert locate.grid_for_point(1.5, 1.5) is None

    services.boundaries_set(actor=None, boundaries=[(code, box(1, 1, 2, 2))])

    assert locate.grid_for_point(1.5, 1.5) == code


def test_the_spatial_order_is_a_permutation():
    rng = numpy.random.default_rng(1)
    lons, lats = rng.uniform(105, 106, 1000), rng.uniform(34, 35, 1000)
    order = locate.spatial_order(lons, lats)
    assert sorted(order.tolist()) == list(range(1000))
