"""A sensitive period in the real Chromium: the district administrator declares one covering
today for township 620502001 with the daily form, and the township dispatcher opens the
day's page: its six villages owe the report and are on the missing list. Screenshots go to
var/screenshots/."""

import re
from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
TOWNSHIP = "620502001"
DEMO_FORM = "sensitive-daily"
OWN_FORM = "sensitive-daily-browser"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"reports-sensitive-{name}.png", full_page=True)


def daily_form_option(page) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The value and code of the demo's daily form in the form list, or of ours."""
    for code in (DEMO_FORM, OWN_FORM):
        option = page.locator("#id_form option", has_text=f"({code})")
        if option.count():
            return str(option.first.get_attribute("value")), code
    return "", ""


def daily_form_create(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Without the demo's daily form: define one on the report-form page."""
    page.goto(site_url + "/reports/forms/new/")
    if page.locator("#definition-form").count() == 0:
        pytest.skip("no daily form in the demo and no report-form page to define one")
    page.locator("#id_code").fill(OWN_FORM)
    page.locator("#id_name").fill("敏感期每日情况")
    page.locator("#id_period_type").select_option("daily")
    page.locator("#id_deadline_working_days").fill("0")
    page.locator("input[name='unit_levels'][value='village']").check()
    page.locator("input[name='fields-0-name']").fill("events")
    page.locator("input[name='fields-0-label']").fill("当日情况数")
    page.locator("select[name='fields-0-type']").select_option("number")
    page.locator("#definition-save").click()
    page.wait_for_load_state()


def test_a_sensitive_period_creates_daily_obligations_and_the_missing_list(  # type: ignore[no-untyped-def]
    page, site_url
):
    demo_sign_in(page, site_url, "districtadmin")
    page.goto(site_url + "/reports/sensitive/new/")
    value, code = daily_form_option(page)
    if not value:
        daily_form_create(page, site_url)
        page.goto(site_url + "/reports/sensitive/new/")
        value, code = daily_form_option(page)
    assert value, "the daily form could not be found or defined"
    page.locator("#id_name").fill("浏览器测试敏感期")
    page.locator("#id_form").select_option(value)
    page.locator("#id_units").fill(TOWNSHIP)
    shot(page, "new")
    page.locator("#sensitive-submit").click()
    page.wait_for_url(re.compile(r"/reports/sensitive/$"))
    assert "浏览器测试敏感期" in page.locator("#sensitive-periods").inner_text()

    demo_sign_in(page, site_url, "dispatcher")
    page.goto(site_url + "/reports/sensitive/day/")
    section = page.locator(f"section[data-form='{code}']")
    rows = section.locator("tbody tr")
    assert rows.count() == 6
    assert section.locator("dd[data-count='owing']").inner_text() == "6"
    missing = section.locator("tbody tr[data-state='missing']")
    reported = int(section.locator("dd[data-count='submitted']").inner_text()) + int(
        section.locator("dd[data-count='zero']").inner_text()
    )
    assert missing.count() == 6 - reported
    if code == OWN_FORM:
        assert missing.count() == 6  # a form defined just now: nobody has reported yet
    missing_list = section.locator("[data-missing-list]").inner_text()
    for index in range(missing.count()):
        assert missing.nth(index).locator("th").inner_text() in missing_list
        assert "未上报" in missing.nth(index).inner_text()
    shot(page, "day")
