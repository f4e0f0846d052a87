"""Report forms in the real Chromium: the district administrator defines a weekly form with
two number fields and a rule; the cadre of village 620502001001 submits last week's figures
(after a number with a letter is refused); the cadre of 620502001002 declares a zero report;
the township dispatcher sees exactly those two waiting, no other village of the township, and
approves both. Screenshots go to var/screenshots/."""

import datetime
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
VILLAGE, OTHER_VILLAGE = "620502001001", "620502001002"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"reports-forms-{name}.png", full_page=True)


def last_monday() -> str:
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return (today - datetime.timedelta(days=today.weekday() + 7)).isoformat()


def define_form(page, site_url: str, code: str) -> None:  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "districtadmin")
    page.goto(site_url + "/reports/")
    page.locator("#form-new-link").click()
    page.get_by_label("代码（字母、数字、-）").fill(code)
    page.get_by_label("报表名称").fill("浏览器测试周报")
    page.locator("#id_period_type").select_option("weekly")
    page.locator("input[name='unit_levels'][value='village']").check()
    page.locator("#id_deadline_working_days").fill("3")
    page.locator("#id_fields-0-name").fill("found")
    page.locator("#id_fields-0-label").fill("排查数")
    page.locator("#id_fields-0-type").select_option("number")
    page.locator("#id_fields-0-required").check()
    page.locator("#id_fields-1-name").fill("resolved")
    page.locator("#id_fields-1-label").fill("化解数")
    page.locator("#id_fields-1-type").select_option("number")
    page.locator("#id_fields-1-prefill").select_option("disputes_closed")
    page.locator("#add-field-row").click()  # one more (empty) row, added by the script
    assert page.locator("#field-rows [data-row='field']").count() == 4
    page.locator("#id_rules-0-left").fill("resolved")
    page.locator("#id_rules-0-op").select_option("<=")
    page.locator("#id_rules-0-right").fill("found")
    page.locator("#id_rules-0-message").fill("化解数不能大于排查数")
    shot(page, "define")
    page.locator("#definition-save").click()
    page.wait_for_load_state()
    assert page.locator(f"#report-forms tr[data-form='{code}']").count() == 1
    shot(page, "defined")


def test_a_weekly_form_is_defined_submitted_zero_reported_and_approved(page, site_url):  # type: ignore[no-untyped-def]
    code = f"bt-{uuid.uuid4().hex[:8]}"
    week = last_monday()
    define_form(page, site_url, code)

    demo_sign_in(page, site_url, "villagecadre")
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/reports/")
    assert page.locator(f"#my-reports tr[data-form='{code}'][data-period='{week}']").count() == 1
    page.goto(f"{site_url}/reports/submit/{code}/{VILLAGE}/{week}/")
    page.locator("#f-found").fill("12a")
    page.locator("#f-resolved").fill("3")
    page.locator("#submit-report").click()
    page.wait_for_load_state()
    assert "排查数：请填写数字" in page.locator("main").inner_text()
    page.locator("#f-found").fill("2")
    page.locator("#submit-report").click()
    page.wait_for_load_state()
    assert "化解数不能大于排查数" in page.locator("main").inner_text()
    page.locator("#f-found").fill("5")
    shot(page, "village-form")
    page.locator("#submit-report").click()
    page.wait_for_load_state()
    assert page.locator("#submission-state").get_attribute("data-state") == "submitted"
    shot(page, "village-submitted")

    demo_sign_in(page, site_url, "villagecadre2")
    page.goto(f"{site_url}/reports/submit/{code}/{OTHER_VILLAGE}/{week}/")
    page.locator("#zero-statement").check()
    page.locator("#submit-zero").click()
    page.wait_for_load_state()
    assert page.locator("#submission-state").get_attribute("data-zero") == "1"
    assert "本单位本期已上报零报告" in page.locator("main").inner_text()
    shot(page, "village-zero")

    demo_sign_in(page, site_url, "dispatcher")
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/reports/approvals/")
    rows = page.locator(f"#approvals tr[data-form='{code}']")
    assert rows.count() == 2
    assert (
        page.locator(f"tr[data-form='{code}'][data-unit='{VILLAGE}']").get_attribute("data-state")
        == "submitted"
    )
    assert (
        page.locator(f"tr[data-form='{code}'][data-unit='{OTHER_VILLAGE}']").get_attribute(
            "data-state"
        )
        == "zero"
    )
    shot(page, "approvals")
    page.locator(f"tr[data-form='{code}'][data-unit='{VILLAGE}'] th a").click()
    page.wait_for_load_state()
    assert page.locator("#submission-values dd[data-field='found']").inner_text() == "5"
    shot(page, "submission")
    page.locator("#approve").click()  # from the report's own page
    page.wait_for_load_state()
    assert page.locator("#state").get_attribute("data-state") == "approved"
    assert "已审核通过" in page.locator("main").inner_text()
    page.goto(site_url + "/reports/approvals/")
    zero_row = f"tr[data-form='{code}'][data-unit='{OTHER_VILLAGE}']"
    page.locator(f"{zero_row} button[value='approve']").click()  # from the list
    page.wait_for_load_state()
    assert "已审核通过" in page.locator("main").inner_text()
    assert page.locator(f"#approvals tr[data-form='{code}']").count() == 0
    shot(page, "approved")

    demo_sign_in(page, site_url, "villagecadre")
    page.goto(f"{site_url}/reports/submit/{code}/{VILLAGE}/{week}/")
    assert page.locator("#submission-state").get_attribute("data-state") == "approved"
    assert page.locator("#report-form").count() == 0
    assert "已审核锁定" in page.locator("main").inner_text()
