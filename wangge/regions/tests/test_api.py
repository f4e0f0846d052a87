import pytest

from wangge.core import coords
from wangge.regions.models import Region

GRID = "620502001001001"


def test_one_region_with_its_parents(client, db):
    body = client.get("/api/v1/regions/620502001001").json()

    assert body["name"] == "进步巷社区居委会"
    assert body["level"] == "village"
    assert body["statistical_code"] == "620502001001"
    assert [p["code"] for p in body["parents"]] == ["62", "6205", "620502", "620502001"]
    assert body["children_count"] >= 1


def test_a_grid_lists_its_grid_workers_without_their_phone_numbers(client, db):
    body = client.get(f"/api/v1/regions/{GRID}").json()

    assert body["level"] == "grid" and body["statistical_code"] is None
    assert {w["role"] for w in body["workers"]} == {"leader", "full_time", "part_time"}
    assert all(set(w) == {"name", "role", "role_display"} for w in body["workers"])


def test_an_unknown_region_is_404_in_the_error_shape(client, db):
    response = client.get("/api/v1/regions/620502999")

    body = response.json()
    assert response.status_code == 404
    assert (set(body), body["code"], body["fields"]) == (
        {"code", "message", "fields"},
        "not_found",
        {},
    )
    assert "620502999" in body["message"]


def test_children_are_paged_with_limit_and_offset(client, db):
    first = client.get("/api/v1/regions/620502/children?limit=5").json()
    rest = client.get("/api/v1/regions/620502/children?limit=100&offset=5").json()

    assert first["count"] == 23
    assert len(first["items"]) == 5 and len(rest["items"]) == 18
    assert first["items"][0] == {
        "code": "620502001",
        "name": "大城街道",
        "level": "township",
        "children_count": 6,
    }


def test_children_of_an_unknown_region_are_404(client, db):
    assert client.get("/api/v1/regions/99/children").status_code == 404


def test_boundary_is_a_geojson_feature(client, db):
    body = client.get("/api/v1/regions/620502/boundary").json()

    assert body["type"] == "Feature"
    assert body["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert body["properties"]["code"] == "620502"
    assert 105 < body["bbox"][0] < body["bbox"][2] < 107


def test_a_region_without_boundary_answers_404(client, db):
    response = client.get("/api/v1/regions/62/boundary")
    assert response.status_code == 404 and response.json()["code"] == "no_boundary"


def test_layer_holds_every_grid_of_the_district(client, db):
    body = client.get("/api/v1/regions/620502/layer?level=grid").json()

    assert len(body["features"]) == Region.objects.filter(level="grid").count()


def test_layer_refuses_an_unknown_level(client, db):
    response = client.get("/api/v1/regions/620502/layer?level=house")
    assert response.status_code == 422 and "level" in response.json()["fields"]


def test_search_by_name_and_by_code(client, db):
    by_name = client.get("/api/v1/regions", {"q": "大城"}).json()
    by_code = client.get("/api/v1/regions", {"q": "620502001001", "limit": 3}).json()

    assert by_name[0] == {"code": "620502001", "name": "大城街道", "level": "township"}
    assert [r["code"] for r in by_code] == ["620502001001", GRID, "620502001001002"]


def test_search_needs_a_query(client, db):
    response = client.get("/api/v1/regions", {"q": ""})
    assert response.status_code == 422 and "q" in response.json()["fields"]


def test_locate_answers_the_grid_and_its_parents(client, db):
    grid = Region.objects.get(code=GRID)

    body = client.get("/api/v1/locate", {"lon": grid.centre_lon, "lat": grid.centre_lat}).json()

    assert body["code"] == GRID
    assert [p["level"] for p in body["parents"]] == [
        "province",
        "city",
        "county",
        "township",
        "village",
    ]


def test_locate_converts_gcj02_and_bd09(client, db):
    grid = Region.objects.get(code=GRID)
    for crs in ("gcj02", "bd09"):
        lon, lat = coords.from_wgs84(grid.centre_lon, grid.centre_lat, crs)
        response = client.get("/api/v1/locate", {"lon": lon, "lat": lat, "crs": crs})
        assert response.json()["code"] == GRID, crs


def test_locate_outside_the_district_says_so_and_does_not_guess(client, db):
    response = client.get("/api/v1/locate", {"lon": 116.39, "lat": 39.91})

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_in_grid"
    assert "620502" in body["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lon": "abc", "lat": "34.5"}, "lon"),
        ({"lon": "105.7", "lat": "91"}, "lat"),
        ({"lon": "181", "lat": "34.5"}, "lon"),
        ({"lat": "34.5"}, "lon"),
        ({"lon": "105.7", "lat": "34.5", "crs": "utm"}, "crs"),
        ({"lon": "nan", "lat": "34.5"}, "lon"),
    ],
)
def test_locate_rejects_bad_coordinates_naming_the_field(client, db, query, field):
    response = client.get("/api/v1/locate", query)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"] or field in body["message"]


def test_error_messages_follow_the_requested_language(client, db):
    response = client.get(
        "/api/v1/locate", {"lon": 116.39, "lat": 39.91}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "不在" in response.json()["message"]


def test_the_openapi_document_lists_every_region_operation(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in [
        "/api/v1/regions/{code}",
        "/api/v1/regions/{code}/children",
        "/api/v1/regions/{code}/boundary",
        "/api/v1/locate",
    ]:
        assert path in paths
