"""Done when: on a phone, the demo dispatcher opens the queue of requests waiting for
moderation, publishes one with an edited text (photos withheld); an anonymous visitor then
finds it on the public list and its page, and the accountability page shows figures.
Screenshots in var/screenshots (phone viewport)."""

from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}
PUBLIC_TEXT = "小区门口的路灯晚上不亮（已审核公开）"


def phone_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    return context, context.new_page()


def test_a_moderator_publishes_and_the_public_sees_it(browser, site_url):  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    staff_context, staff = phone_page(browser)
    visitor_context, visitor = phone_page(browser)
    try:
        demo_sign_in(staff, site_url, "dispatcher")
        staff.goto(site_url + "/portal/manage/requests/")
        staff.screenshot(path=SHOTS / "portal-moderation-queue.png", full_page=True)
        pending = staff.locator("#pending-requests li.card")
        assert pending.count() >= 1, "the demo has no portal request waiting for moderation"
        street_light = pending.filter(has_text="路灯")
        chosen = street_light.first if street_light.count() else pending.first
        chosen.get_by_role("link").click()
        staff.wait_for_selector("#moderate-form")
        suggested = staff.locator("#id_public_text").input_value()
        assert suggested  # pre-filled with the resident's words
        assert not staff.locator("#id_photos_public").is_checked()
        staff.locator("#id_public_text").fill("请联系13912345678")
        staff.locator("#request-publish").click()
        staff.wait_for_selector("#moderate-form [role=alert]")
        assert "手机号码" in staff.locator("#moderate-form").inner_text()
        staff.locator("#id_public_text").fill(PUBLIC_TEXT)
        staff.screenshot(path=SHOTS / "portal-moderate-request.png", full_page=True)
        staff.locator("#request-publish").click()
        staff.wait_for_url("**/portal/manage/requests/")
        assert "诉求已公开" in staff.content()

        visitor.goto(site_url + "/portal/requests/")
        visitor.screenshot(path=SHOTS / "portal-public-list.png", full_page=True)
        item = visitor.locator("#public-requests li", has_text=PUBLIC_TEXT)
        assert item.count() == 1
        item.get_by_role("link").click()
        visitor.wait_for_selector("#public-text")
        assert PUBLIC_TEXT in visitor.locator("#public-text").inner_text()
        assert visitor.locator("#public-photos").count() == 0
        body = visitor.content()
        assert "13900001001" not in body and "139****1001" not in body
        visitor.screenshot(path=SHOTS / "portal-public-detail.png", full_page=True)

        visitor.goto(site_url + "/portal/accountability/")
        assert visitor.locator("#by-township tbody tr[data-key]").count() >= 1
        visitor.screenshot(path=SHOTS / "portal-accountability.png", full_page=True)
    finally:
        staff_context.close()
        visitor_context.close()
