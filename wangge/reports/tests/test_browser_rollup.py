"""Completeness and roll-up in the real Chromium, on the demo: the township dispatcher sees
exactly who reported the weekly security report last week (one village submitted, one a zero
report, four nothing, named); the district leader sees the roll-up with the township's
subtotal, drills down to its villages and downloads the spreadsheet. Screenshots go to
var/screenshots/."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import demo_sign_in, separate_postgresql_database

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
FORM = "weekly-security"  # loaded by wangge/demo/reports.py
TOWNSHIP = "620502001"


LOAD = (
    "import django; django.setup(); "
    "from wangge.demo.reports import demo_reports_load; demo_reports_load()"
)


@pytest.fixture(scope="module", autouse=True)
def demo_reports(site_url, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The demo's report forms and last week's reports in the served demo's database, in
    case `wangge demo` does not load them itself (loading twice makes nothing)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wangge.settings"}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = separate_postgresql_database(os.environ["DATABASE_URL"], "_browser")
    else:
        folders = sorted(tmp_path_factory.getbasetemp().glob("site*"))
        if not folders:
            return
        env["WANGGE_DATA_DIR"] = str(folders[0])
    subprocess.run([sys.executable, "-c", LOAD], env=env, check=False, timeout=300)


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"reports-{name}.png", full_page=True)


def demo_form_or_skip(page) -> None:  # type: ignore[no-untyped-def]
    if page.locator("#rollup-error").count():
        pytest.skip(f"the demo has no report form {FORM} (wangge/demo/reports.py not loaded)")


def count(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return page.inner_text(f"#completeness-counts [data-count={name}]").strip()


def test_the_township_sees_exactly_who_reported(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "dispatcher")
    page.goto(f"{site_url}/reports/rollup/completeness/?form={FORM}")
    demo_form_or_skip(page)

    assert page.locator("#completeness-table").is_visible()
    assert count(page, "expected") == "6"
    assert count(page, "submitted") == "1"
    assert count(page, "zero") == "1"
    assert count(page, "missing") == "4"
    states = {
        row.get_attribute("data-unit"): row.get_attribute("data-state")
        for row in page.locator("#completeness-table tbody tr").all()
    }
    assert states[f"{TOWNSHIP}001"] == "submitted"
    assert states[f"{TOWNSHIP}002"] == "zero"
    outstanding = page.locator("#completeness-outstanding [data-outstanding]")
    assert outstanding.count() == 4
    named = {item.get_attribute("data-outstanding") for item in outstanding.all()}
    assert named == {f"{TOWNSHIP}{n:03d}" for n in range(3, 7)}
    assert all(item.inner_text().strip() for item in outstanding.all())
    assert page.locator("#completeness-map svg.units-map path").count() == 6
    shot(page, "completeness-township")


def test_the_district_sees_the_rollup_and_drills_down(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "leader")
    page.goto(f"{site_url}/reports/rollup/?form={FORM}")
    demo_form_or_skip(page)

    township = page.locator(f"#rollup-table tr[data-unit='{TOWNSHIP}']")
    assert township.locator("[data-covered]").get_attribute("data-covered") == "2"
    assert page.locator("#rollup-table tbody tr").count() == 23
    shot(page, "rollup-district")

    township.locator(f"[data-drill='{TOWNSHIP}']").click()
    page.wait_for_url(f"**parent={TOWNSHIP}**")
    assert page.locator("#rollup-table tbody tr").count() == 6
    first = page.locator(f"#rollup-table tr[data-unit='{TOWNSHIP}001'] [data-covered]")
    assert first.get_attribute("data-covered") == "1"
    shot(page, "rollup-township")

    with page.expect_download() as download:
        page.click("#rollup-xlsx")
    body = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(body)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "社会治安周报"
    assert rows[-1][1] == TOWNSHIP
    assert {row[1] for row in rows[5:-1]} == {f"{TOWNSHIP}{n:03d}" for n in range(1, 7)}


def test_the_district_sees_completeness_per_township_on_the_map(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "leader")
    page.goto(f"{site_url}/reports/rollup/completeness/?form={FORM}")
    demo_form_or_skip(page)

    assert page.locator("#completeness-table tbody tr").count() == 23
    assert page.locator("#completeness-map svg.units-map a path").count() == 23
    row = page.locator(f"#completeness-table tr[data-unit='{TOWNSHIP}']")
    row.locator(f"[data-drill='{TOWNSHIP}']").click()
    page.wait_for_url(f"**parent={TOWNSHIP}**")
    assert count(page, "missing") == "4"
    shot(page, "completeness-district")
