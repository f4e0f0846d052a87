import json

import pytest
from django.core.management import CommandError, call_command

from wangge.core.errors import ImportFailed
from wangge.regions import services
from wangge.regions.models import Level, Region

# A small made-up county 990101 (no real province uses 99), in the division-list format.
GOOD_CSV = "\n".join(
    [
        "990101000000,990100000000,测试县,county,3,990101,,,,f,f,f,,,,测试省,测试市,测试县,,",
        "990101001000,990101000000,甲镇,town,4,990101,,,,f,f,f,100.1,30.1,,测试省,测试市,测试县,甲镇,",
        "990101001001,990101001000,一村民委员会,village,5,990101,,,220,f,f,f,,,,测试省,测试市,测试县,甲镇,一村",
    ]
)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100, 30], [100.2, 30], [100.2, 30.2], [100, 30.2], [100, 30]]],
}


def test_division_list_creates_the_tree_with_path_codes(db):
    summary = services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")

    assert summary.created == 5  # province and city come from the name columns
    assert Region.objects.get(code="99").name == "测试省"
    assert Region.objects.get(code="9901").parent_id == "99"
    town = Region.objects.get(code="990101001")
    assert (town.level, town.parent_id, town.centre_lon) == (Level.TOWNSHIP, "990101", 100.1)
    village = Region.objects.get(code="990101001001")
    assert (village.parent_id, village.urban_rural_code) == ("990101001", "220")
    assert village.statistical_code == "990101001001"
    assert town.statistical_code == "990101001000"


def test_importing_the_same_list_again_updates_instead_of_duplicating(db):
    services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")
    summary = services.divisions_import(
        actor=None, text=GOOD_CSV.replace("甲镇,town", "乙镇,town"), crs="wgs84"
    )

    assert summary.updated == 3
    assert Region.objects.get(code="990101001").name == "乙镇"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("990101002000,990101000000,乙镇,hamlet,4", "unknown level 'hamlet'"),
        ("99010100200,990101000000,乙镇,town,4", "is not a 12-digit"),
        ("990101002001,990101000000,乙镇,town,4", "digits after the first 9 must be zeros"),
        ("990101002000,990101000000,,town,4", "the name is empty"),
        ("990101002000,990102000000,乙镇,town,4", "does not contain"),
        ("990101002000,990101000000,乙镇,town,4,,,,,f,f,f,abc,30,", "is not a pair of numbers"),
        ("990101001000,990101000000,乙镇,town,4", "appears again (first on line 2)"),
        ("990101002000,990101000000", "expected at least 4 columns"),
    ],
)
def test_a_bad_division_row_is_named_by_line_and_nothing_is_written(db, line, expected):
    before = Region.objects.count()

    with pytest.raises(ImportFailed) as failure:
        services.divisions_import(actor=None, text=GOOD_CSV + "\n" + line, crs="wgs84")

    assert [problem.line for problem in failure.value.problems] == [4]
    assert expected in str(failure.value)
    assert Region.objects.count() == before


def test_a_row_whose_parent_is_unknown_is_refused(db):
    orphan = "990101001000,990101000000,甲镇,town,4"  # no county row, no name columns
    with pytest.raises(ImportFailed, match="line 1: parent region 990101 is unknown"):
        services.divisions_import(actor=None, text=orphan, crs="wgs84")
    assert not Region.objects.filter(code__startswith="99").exists()


def test_centre_points_need_a_coordinate_system(db):
    with pytest.raises(ImportFailed, match="say their coordinate system"):
        services.divisions_import(actor=None, text=GOOD_CSV, crs=None)


def test_a_boundary_is_stored_in_wgs84_with_its_bbox(db):
    services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")

    services.boundaries_import(actor=None, text=json.dumps(SQUARE), crs="wgs84", code="990101")

    county = Region.objects.get(code="990101")
    assert county.boundary["type"] == "Polygon"
    assert county.bbox == (100.0, 30.0, 100.2, 30.2)


def test_a_gcj02_boundary_is_converted_to_wgs84(db):
    services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")
    gcj = {"type": "Feature", "properties": {"code": "990101"}, "geometry": SQUARE}

    services.boundaries_import(actor=None, text=json.dumps(gcj), crs="gcj02")

    county = Region.objects.get(code="990101")
    # GCJ-02 shifts points in this area by a few hundred metres; the stored box moved back.
    assert county.min_lon != 100.0 and abs(county.min_lon - 100.0) < 0.01


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"type": "Point", "coordinates": [100, 30]},
            "feature 1: region 990101: geometry is Point",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "feature 1: region 990101: invalid polygon (Self-intersection",
        ),
        ({"type": "FeatureCollection", "features": []}, "the file holds no features"),
    ],
)
def test_a_bad_boundary_names_the_feature_and_writes_nothing(db, document, expected):
    services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")

    with pytest.raises(ImportFailed) as failure:
        services.boundaries_import(
            actor=None, text=json.dumps(document), crs="wgs84", code="990101"
        )

    assert expected in str(failure.value)
    assert Region.objects.get(code="990101").boundary is None


def test_a_feature_collection_is_checked_whole_before_anything_is_written(db):
    services.divisions_import(actor=None, text=GOOD_CSV, crs="wgs84")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "990101"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"code": "990101009"}, "geometry": SQUARE},
        ],
    }

    with pytest.raises(ImportFailed, match="feature 2: region 990101009 does not exist"):
        services.boundaries_import(actor=None, text=json.dumps(collection), crs="wgs84")

    assert Region.objects.get(code="990101").boundary is None


def test_the_import_command_stops_on_bad_input_and_says_why(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_CSV + "\n990101002000,990101000000,乙镇,hamlet,4\n", encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("regions", "import", "--divisions", str(bad), "--crs", "wgs84")

    assert "line 4: unknown level 'hamlet'" in capsys.readouterr().err
    assert not Region.objects.filter(code__startswith="99").exists()


def test_the_import_command_loads_divisions_and_boundaries(db, tmp_path, capsys):
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(GOOD_CSV, encoding="utf-8")
    boundary = tmp_path / "county.json"
    boundary.write_text(json.dumps(SQUARE))

    call_command(
        "regions",
        "import",
        "--divisions",
        str(divisions),
        "--boundaries",
        str(boundary),
        "--code",
        "990101",
        "--crs",
        "wgs84",
    )

    assert "5 created" in capsys.readouterr().out
    assert Region.objects.get(code="990101").boundary is not None
