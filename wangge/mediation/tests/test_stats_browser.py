"""The monthly mediation statistics in the real Chromium, as the district leader opens them:
both tables with their total rows, a township chosen in the form, the spreadsheet downloaded.
The demo may hold no disputes: the tables are there with zeros. Screenshots go to
var/screenshots/."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")


def test_the_leader_reads_the_monthly_statistics_and_exports_them(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "leader")

    page.goto(site_url + "/mediation/statistics/")

    assert page.get_by_role("heading", name="人民调解工作统计月报表").is_visible()
    assert page.locator("#by-region tbody tr").count() > 1  # the district's townships
    assert page.locator("#by-region tfoot th").inner_text() == "合计"
    assert page.locator("#by-category tbody tr").count() == 15
    assert page.locator("#by-category tfoot th").inner_text() == "合计"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "mediation-statistics-district.png", full_page=True)

    page.locator("#id_region").select_option("620502001")
    page.locator("#id_month").fill("2026-05")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**region=620502001**")
    assert "2026年05月" in page.locator(".period").inner_text()
    assert page.locator("#by-region tbody tr").count() > 1  # the township's villages

    with page.expect_download() as download:
        page.get_by_role("link", name="导出").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet["A1"].value == "人民调解工作统计月报表"
    assert sheet["A3"].value == "统计期间：2026年05月"
