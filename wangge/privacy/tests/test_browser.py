"""A full view and who-read in the real Chromium, against `wangge demo`; screenshots in
var/screenshots. The pages are not in the menus yet, so the test goes to their URLs."""

import re
from pathlib import Path

import pytest

from wangge.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
MOBILE, MASKED = "13812345678", "138****5678"
PURPOSE_TEXT = "核实网格员联系方式 走访前"
CHANGE_PAGE = re.compile(r"/admin/accounts/user/(\d+)/change/")


def sign_in(page, site_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def give_mobile(page, site_url: str, username: str, mobile: str) -> str:  # type: ignore[no-untyped-def]
    """As an administrator does it, in the admin; the demo staff have no numbers. Returns
    the member's id."""
    page.goto(f"{site_url}/admin/accounts/user/?q={username}")
    page.locator("#result_list a", has_text=username).first.click()
    page.wait_for_url(CHANGE_PAGE)
    found = CHANGE_PAGE.search(page.url)
    assert found is not None
    member_id = found.group(1)
    page.locator("#id_mobile").fill(mobile)
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    return member_id


def test_an_administrator_states_a_purpose_sees_the_mobile_and_the_read_is_listed(page, site_url):
    sign_in(page, site_url, "admin")
    member_id = give_mobile(page, site_url, "gridworker", MOBILE)

    page.goto(f"{site_url}/privacy/unmask/staff/{member_id}/")
    assert page.locator(".privacy-fields dd").inner_text().startswith(MASKED)
    assert MOBILE not in page.content()
    page.locator("#id_purpose").select_option("verification")
    page.locator("#id_purpose_text").fill(PURPOSE_TEXT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "privacy-form.png", full_page=True)
    page.locator(".privacy-form button[type=submit]").click()
    page.wait_for_load_state()

    shown = page.locator(".privacy-fields dd").inner_text()
    assert shown.startswith(MOBILE) and page.locator(".sensitive-until").is_visible()
    page.screenshot(path=SHOTS / "privacy-unmasked.png", full_page=True)

    page.locator(f"a[href='/privacy/reads/staff/{member_id}/']").click()
    page.wait_for_url(f"**/privacy/reads/staff/{member_id}/")
    rows = page.locator("table.privacy-reads tbody tr").all_inner_texts()
    assert len(rows) == 1 and PURPOSE_TEXT in rows[0] and "admin" in rows[0]
    assert MOBILE not in page.content()
    page.screenshot(path=SHOTS / "privacy-reads.png", full_page=True)


def test_a_leader_is_refused_the_purpose_form(page, site_url):
    """Leaders read the register masked; they hold no right to see personal data in full."""
    sign_in(page, site_url, "leader")

    response = page.goto(f"{site_url}/privacy/unmask/staff/1/")

    assert response is not None and response.status == 403
