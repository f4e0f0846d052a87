import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box

from wangge.regions import services
from wangge.regions.models import Level, Region
from wangge.regions.validation import square_metres, tiling_problems


def make_village_with_grids(grids: dict[str, object]) -> None:
    """Village 990101001001 = the unit square at (100, 30) … (100.01, 30.01), with grids."""
    Region.objects.create(code="99", name="省", level=Level.PROVINCE)
    Region.objects.create(code="990101001001", name="村", level=Level.VILLAGE, parent=None)
    services.boundaries_set(actor=None, boundaries=[("990101001001", box(100, 30, 100.01, 30.01))])
    for code, shape in grids.items():
        Region.objects.create(code=code, name=code, level=Level.GRID, parent_id="990101001001")
        services.boundaries_set(actor=None, boundaries=[(code, shape)])


def test_grids_that_tile_their_village_have_no_problems(db):
    make_village_with_grids(
        {
            "990101001001001": box(100, 30, 100.005, 30.01),
            "990101001001002": box(100.005, 30, 100.01, 30.01),
        }
    )
    assert tiling_problems("990101001001") == []


def test_a_gap_is_reported_with_its_size_and_place(db):
    make_village_with_grids(
        {
            "990101001001001": box(100, 30, 100.004, 30.01),
            "990101001001002": box(100.005, 30, 100.01, 30.01),
        }
    )

    [gap] = tiling_problems("990101001001")

    assert (gap.kind, gap.parent_code) == ("gap", "990101001001")
    expected = square_metres(box(100.004, 30, 100.005, 30.01), 30.005)
    assert gap.area_m2 == pytest.approx(expected, rel=1e-6)
    assert 100.004 < gap.where[0] < 100.005
    assert 106_000 < gap.area_m2 < 108_000  # 0.001° × 0.01° at 30° N: 96.3 m × 1,112 m


def test_an_overlap_names_both_grids(db):
    make_village_with_grids(
        {
            "990101001001001": box(100, 30, 100.006, 30.01),
            "990101001001002": box(100.005, 30, 100.01, 30.01),
        }
    )

    [overlap] = tiling_problems("990101001001")

    assert overlap.kind == "overlap"
    assert overlap.codes == ("990101001001001", "990101001001002")
    assert overlap.area_m2 > 90_000


def test_a_grid_reaching_outside_its_village_is_reported(db):
    make_village_with_grids(
        {
            "990101001001001": box(100, 30, 100.005, 30.01),
            "990101001001002": box(100.005, 30, 100.02, 30.01),
        }
    )

    [outside] = tiling_problems("990101001001")

    assert (outside.kind, outside.codes) == ("outside", ("990101001001002",))


def test_a_child_without_boundary_is_reported_and_gaps_are_not_guessed(db):
    make_village_with_grids({"990101001001001": box(100, 30, 100.005, 30.01)})
    Region.objects.create(
        code="990101001001002", name="2", level=Level.GRID, parent_id="990101001001"
    )

    problems = tiling_problems("990101001001")

    assert [(p.kind, p.codes) for p in problems] == [("no_boundary", ("990101001001002",))]


def test_the_demo_district_tiles_exactly_at_every_level(db):
    assert tiling_problems("620502", min_area_m2=0) == []


def test_regions_check_command_reports_success_for_the_demo_district(db, capsys):
    call_command("regions", "check")
    assert "620502: no gaps, overlaps or regions outside their parent" in capsys.readouterr().out


def test_regions_check_command_fails_and_lists_problems(db, capsys):
    make_village_with_grids({"990101001001001": box(100, 30, 100.004, 30.01)})

    with pytest.raises(CommandError, match="1 problems under 990101001001"):
        call_command("regions", "check", "990101001001")

    assert "gap under 990101001001" in capsys.readouterr().out
