"""Done when: on a phone, a resident opens the demo hearing, proves a mobile, registers for a
seat (seats left drops by one) and writes a comment, which an anonymous visitor does not see
until the demo dispatcher publishes it from the moderation queue. Screenshots of each page
in var/screenshots (phone viewport)."""

import re
from pathlib import Path

import pytest

from conftest import demo_sign_in, demo_sms_code

pytestmark = pytest.mark.browser

SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}
MOBILE = "13900008801"
HEARING_TITLE = "大城街道垃圾转运站选址听证会"
COMMENT = "建议转运站远离小学，并在夜间停止作业。"


def phone_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    return context, context.new_page()


def test_a_resident_registers_and_comments_and_a_moderator_publishes(
    browser, site_url, site_folder
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = phone_page(browser)
    visitor_context, visitor = phone_page(browser)
    staff_context, staff = phone_page(browser)
    try:
        page.goto(site_url + "/portal/hearings/")
        page.screenshot(path=SHOTS / "portal-hearings.png", full_page=True)
        page.get_by_role("link", name=HEARING_TITLE).click()
        hearing_url = page.url
        seats_before = int(page.locator("#seats-left").inner_text())
        page.screenshot(path=SHOTS / "portal-hearing.png", full_page=True)

        # Registering sends the visitor to prove a mobile first, then back.
        page.locator("#id_name").fill("王小明")
        page.locator("#register-submit").click()
        page.wait_for_url(re.compile(r"/portal/verify/"))
        page.locator("#id_phone").fill(MOBILE)
        page.locator("#send-code").click()
        page.locator("#id_code").fill(demo_sms_code(site_folder, MOBILE))
        page.screenshot(path=SHOTS / "portal-hearing-verify.png", full_page=True)
        page.locator("#check-code").click()
        page.wait_for_url(re.compile(r"/portal/hearings/\d+/"))
        page.goto(hearing_url)
        page.locator("#id_name").fill("王小明")
        page.locator("#register-submit").click()
        page.wait_for_url(re.compile(r"/portal/hearings/\d+/"))
        assert page.locator("#registered").is_visible()
        assert int(page.locator("#seats-left").inner_text()) == seats_before - 1
        page.screenshot(path=SHOTS / "portal-hearing-registered.png", full_page=True)

        page.locator("#id_body").fill(COMMENT)
        page.locator("#id_signed_as").fill("王先生")
        page.locator("#comment-submit").click()
        page.wait_for_url(re.compile(r"/portal/hearings/\d+/"))
        assert page.locator(".flash").inner_text().strip()
        page.screenshot(path=SHOTS / "portal-hearing-comment-received.png", full_page=True)

        visitor.goto(hearing_url)
        assert COMMENT not in visitor.locator("#published-comments").inner_text()

        demo_sign_in(staff, site_url, "dispatcher")
        staff.goto(site_url + "/portal/manage/comments/")
        staff.screenshot(path=SHOTS / "portal-comment-queue.png", full_page=True)
        staff.locator("#pending-comments li", has_text=COMMENT).get_by_role("link").click()
        staff.screenshot(path=SHOTS / "portal-comment-review.png", full_page=True)
        staff.locator("#comment-publish").click()
        staff.wait_for_url(re.compile(r"/portal/manage/comments/$"))
        assert COMMENT not in staff.locator("#pending-comments").inner_text()

        visitor.goto(hearing_url)
        assert COMMENT in visitor.locator("#published-comments").inner_text()
        assert MOBILE not in visitor.content()
        visitor.screenshot(path=SHOTS / "portal-hearing-published.png", full_page=True)

        staff.goto(site_url + "/portal/manage/hearings/")
        staff.get_by_role("link", name=HEARING_TITLE).click()
        registrations = staff.locator("#registrations").inner_text()
        assert "139****8801" in registrations and "王**" in registrations
        staff.screenshot(path=SHOTS / "portal-manage-hearing.png", full_page=True)
        staff.goto(site_url + "/portal/manage/notices/")
        staff.screenshot(path=SHOTS / "portal-manage-notices.png", full_page=True)
    finally:
        context.close()
        visitor_context.close()
        staff_context.close()


def test_the_welfare_notice_shows_its_people_masked(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/portal/notices/")
    page.screenshot(path=SHOTS / "portal-notices.png", full_page=True)
    page.get_by_role("link", name=re.compile("最低生活保障")).click()
    table = page.locator("#notice-entries").inner_text()
    assert "张**" in table and "620502********0017" in table
    assert "张建国" not in page.content() and "620502195803120017" not in page.content()
    page.screenshot(path=SHOTS / "portal-notice.png", full_page=True)
