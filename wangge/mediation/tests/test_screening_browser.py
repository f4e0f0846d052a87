"""The screening in the real Chromium: the village cadre of 620502001001 submits a zero report
for the latest open period; the township dispatcher then sees that village marked as a zero
report and the other villages as not reported. Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
VILLAGE = "620502001001"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"mediation-screening-{name}.png", full_page=True)


def test_a_zero_report_shows_on_the_township_page(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "villagecadre")
    page.goto(site_url + "/mediation/screening/")
    page.get_by_label("零报告：本期未排查到矛盾纠纷").check()
    page.get_by_label("我确认本报告完整、真实。").check()
    shot(page, "unit-form")
    page.get_by_role("button", name="上报排查").click()
    page.wait_for_load_state()
    assert "已上报零报告" in page.locator("main").inner_text()
    assert "本单位本期已报零报告" in page.locator("main").inner_text()
    shot(page, "unit-submitted")

    demo_sign_in(page, site_url, "dispatcher")
    page.goto(site_url + "/mediation/screening/units/")
    row = page.locator(f"tr[data-unit='{VILLAGE}']")
    assert row.get_attribute("data-state") == "zero"
    assert "零报告" in row.inner_text()
    others = page.locator("#screening-units tbody tr:not([data-unit='" + VILLAGE + "'])")
    assert others.count() >= 1
    for index in range(others.count()):
        assert others.nth(index).get_attribute("data-state") == "missing"
        assert "未上报" in others.nth(index).inner_text()
    assert page.locator("dd[data-count='zero']").inner_text() == "1"
    assert page.locator("dd[data-count='missing']").inner_text() == str(others.count())
    shot(page, "township")

    page.goto(site_url + "/mediation/screening/quarter/")
    assert page.get_by_role("heading", name="本年累计").is_visible()
    shot(page, "quarter")
