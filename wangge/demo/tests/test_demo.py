import os
import subprocess
import sys

import pytest

from wangge.accounts.models import User
from wangge.demo.services import DEMO_PASSWORD, grid_name, short_village_name
from wangge.regions.models import GridAssignment, GridRole, Level, Region


def test_the_demo_holds_the_real_qinzhou_divisions(db):
    assert Region.objects.get(code="620502").name == "秦州区"
    assert Region.objects.filter(level=Level.TOWNSHIP, parent_id="620502").count() == 23
    assert Region.objects.filter(level=Level.VILLAGE, code__startswith="620502").count() == 463
    assert Region.objects.get(code="62").name == "甘肃省"
    assert Region.objects.get(code="6205").name == "天水市"


def test_every_village_has_grids_and_every_region_below_the_county_a_boundary(db):
    villages_without_grids = Region.objects.filter(level=Level.VILLAGE, children__isnull=True)
    assert not villages_without_grids.exists()
    assert not Region.objects.filter(code__startswith="620502", boundary__isnull=True).exists()
    assert 1500 <= Region.objects.filter(level=Level.GRID).count() <= 4000


def test_every_grid_has_a_leader_and_a_full_time_worker(db):
    grids = Region.objects.filter(level=Level.GRID).count()
    for role in (GridRole.LEADER, GridRole.FULL_TIME):
        assert GridAssignment.objects.filter(role=role).values("grid").distinct().count() == grids


def test_demo_sign_ins_work_with_the_printed_password(db):
    for username in ("admin", "gridleader", "gridworker", "parttime"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser


def test_synthetic_grid_workers_cannot_sign_in(db):
    worker = User.objects.filter(username__startswith="g6205").first()
    assert worker is not None and not worker.has_usable_password()


def test_grid_names_read_naturally():
    assert short_village_name("进步巷社区居委会") == "进步巷社区"
    assert short_village_name("苏成村民委员会") == "苏成村"
    assert grid_name("苏成村民委员会", 3) == "苏成村第3网格"


@pytest.mark.slow_subprocess
def test_wangge_demo_builds_reuses_and_resets_its_database(tmp_path):
    env = {**os.environ, "WANGGE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the command's own SQLite file, never the test database

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "wangge", "demo", "--no-serve", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    first = run()
    assert "Loaded 23 townships, 463 villages and communities" in first
    assert "gridworker" in first and DEMO_PASSWORD in first
    assert (tmp_path / "wangge.sqlite3").exists()
    assert "already loaded; reusing it" in run()
    assert "Loaded 23 townships" in run("--reset")
