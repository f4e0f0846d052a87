"""Early warnings and the leaders' dashboard in the real Chromium, on the served demo: disputes
surge in one community this week, the rules run, the district leader reads the dashboard (on a
desktop and on a phone), the township leader sees only the township, and the township
dispatcher opens the warning, follows it to its cases, acknowledges it and adds a note.
Screenshots go to var/screenshots/."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import demo_sign_in, separate_postgresql_database

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
SURGE = """
import json
from datetime import timedelta
from django.utils import timezone
from wangge.accounts.models import User
from wangge.cases import services
from wangge.cases.services import ReportInput
from wangge.regions.models import Region
from wangge.reports import warnings
from wangge.reports.models import EarlyWarning

grid = Region.objects.filter(level="grid", code__startswith="620502001001").order_by("code")[0]
worker = User.objects.get(username="gridworker")
now = timezone.now()
local = timezone.localtime(now)  # the week is the district's: UTC Sunday evening is its Monday
monday = local.replace(hour=0, minute=0, second=0) - timedelta(days=local.weekday())
moments = [monday + (now - monday) * n / 9 for n in range(1, 9)]
made = [
    services.report(
        worker,
        ReportInput(category_code="D0201", description="相邻通行纠纷", region_code=grid.code,
                    address="测试地址"),
        now=moment,
    ).pk
    for moment in moments
]
warnings.default_rules()
warnings.warnings_raise()
surge = EarlyWarning.objects.get(rule__kind="dispute_surge", region_code="620502001001")
print(json.dumps({"warning": surge.pk, "cases": made}))
"""


def run_on_site(code: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run Python in the served demo's database (the `site_url` fixture's folder)."""
    folders = sorted(tmp_path_factory.getbasetemp().glob("site*"), key=os.path.getmtime)
    env = {**os.environ, "WANGGE_DATA_DIR": str(folders[-1])}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = separate_postgresql_database(os.environ["DATABASE_URL"], "_browser")
    command = [sys.executable, "-m", "wangge", "shell", "-c", code]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name, full_page=True)


def test_leaders_read_the_dashboard_and_a_township_follows_up_a_warning(  # type: ignore[no-untyped-def]
    page, site_url, tmp_path_factory
):
    made = json.loads(run_on_site(SURGE, tmp_path_factory).strip().splitlines()[-1])

    demo_sign_in(page, site_url, "leader")
    page.goto(site_url + "/reports/dashboard/")
    assert page.get_by_role("heading", name="领导驾驶舱").is_visible()
    assert page.locator("#dashboard-townships tbody tr").count() == 23
    assert page.locator("#dashboard-townships tfoot th").inner_text() == "合计"
    assert int(page.locator('.tile[data-figure="warnings"] .tile-number').inner_text()) >= 1
    assert page.locator(f'#dashboard-warnings li[data-warning="{made["warning"]}"]').is_visible()
    assert page.locator("#dashboard-trend svg").is_visible()
    shot(page, "reports-dashboard-district.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "reports-dashboard-phone.png")
    page.set_viewport_size({"width": 1280, "height": 860})

    demo_sign_in(page, site_url, "townshipleader")
    page.goto(site_url + "/reports/dashboard/")
    townships = page.locator("#dashboard-townships tbody tr")
    assert townships.count() == 1
    assert townships.first.get_attribute("data-township") == "620502001"
    shot(page, "reports-dashboard-township.png")

    demo_sign_in(page, site_url, "dispatcher")
    page.goto(site_url + "/reports/warnings/")
    shot(page, "reports-warnings.png")
    page.locator(f'tr[data-warning="{made["warning"]}"] a').click()
    assert "本周" in page.locator("#warning-summary").inner_text()
    page.locator("#warning-records").click()
    page.wait_for_url("**figure=reported**")
    listed = page.locator("a[href^='/cases/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert {f"/cases/{pk}/" for pk in made["cases"]} <= set(listed)
    page.go_back()

    page.locator("#warning-acknowledge").click()
    assert page.get_by_text("已确认该预警。").is_visible()
    page.locator("#warning-note-add").click()  # an empty note is refused
    assert page.locator("#warning-error").is_visible()
    page.locator("#note-text").fill("已安排村调委会逐户走访。")
    page.locator("#warning-note-add").click()
    assert page.locator("#warning-notes").get_by_text("已安排村调委会逐户走访。").is_visible()
    shot(page, "reports-warning.png")
