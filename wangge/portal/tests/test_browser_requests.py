"""A resident raises a request on a phone (proving their mobile, a photo, a pin on the map),
follows it by code and mobile, staff handle it in another browser (with an internal note the
resident never sees), and the resident says it is not fixed, which reopens it. Screenshots of
each resident page go to var/screenshots/portal-*.png."""

import re
import secrets
from pathlib import Path

import pytest

from conftest import demo_sign_in, demo_sms_code

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
PHONE_VIEW = {"width": 390, "height": 844}
MOBILE = "13900009001"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"portal-{name}.png", full_page=True)


def act(page, case_url: str, action: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(case_url)
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_url(case_url)


def small_photo(folder: Path) -> Path:
    from PIL import Image

    path = folder / "rubbish.jpg"
    Image.new("RGB", (64, 48), (120, 90, 40)).save(path, "JPEG")
    return path


def phone_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE_VIEW, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def test_a_resident_raises_follows_and_reopens_a_request(  # type: ignore[no-untyped-def]
    browser, site_url, site_folder, tmp_path
):
    token = secrets.token_hex(3)
    page, errors = phone_page(browser)

    # Prove the mobile: the raise page sends the resident to verify, and back.
    page.goto(site_url + "/portal/")
    shot(page, "home-phone")
    page.goto(site_url + "/portal/raise/")
    page.wait_for_url(re.compile(r".*/portal/verify/\?next=.*"))
    page.locator("#id_phone").fill(MOBILE)
    shot(page, "verify-phone")
    page.locator("#send-code").click()
    page.locator("#id_code").fill(demo_sms_code(site_folder, MOBILE))
    page.locator("#check-code").click()
    page.wait_for_url(site_url + "/portal/raise/")

    # An emergency does not submit: call now.
    page.locator("#id_topic").select_option("fire")
    page.locator("#id_description").fill("楼下着火了")
    page.locator("#send-request").click()
    assert "119" in page.locator("#emergency-notice").inner_text()
    shot(page, "raise-emergency-phone")
    page.goto(site_url + "/portal/raise/")

    # The form: topic, words, the village (moves the map), a pin, a photo.
    page.locator("#id_topic").select_option("rubbish")
    page.locator("#id_description").fill(f"巷口垃圾堆了好几天 {token}\n气味很大")
    page.locator("#id_village").select_option("620502001001")
    page.locator("#pick-on-map").click()
    page.wait_for_selector("#pin-map[data-focused]", timeout=30_000)
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('[name=lon]').value !== ''")
    page.wait_for_function(
        "() => /\\(62050\\d+\\)/.test(document.getElementById('location-status').textContent)"
    )
    page.locator("#check-similar").click()
    page.wait_for_selector("#similar")
    shot(page, "raise-similar-phone")
    page.locator("#id_photos").set_input_files(small_photo(tmp_path))
    shot(page, "raise-phone")
    page.locator("#send-request").click()
    page.wait_for_url(site_url + "/portal/raise/done/")
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"[23456789A-HJKMNP-Z]{10}", code)
    shot(page, "raised-phone")

    # Follow it by code and mobile from a browser that proved nothing.
    other, other_errors = phone_page(browser)
    other.goto(site_url + "/portal/track/")
    other.locator("#id_code").fill(code)
    other.locator("#id_phone").fill(MOBILE)
    other.locator("#track-submit").click()
    other.wait_for_url(site_url + f"/portal/r/{code}/")
    assert other.locator("#request-status").inner_text() == "已上报"
    assert other.locator(".request-photos img").count() == 1
    shot(other, "track-phone")
    other.context.close()

    # Staff handle it, with an internal note on the way.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    demo_sign_in(staff, site_url, "dispatcher")
    staff.goto(site_url + f"/cases/?q={token}")
    staff.locator("a", has_text=token).first.click()
    staff.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_url = staff.url
    act(staff, case_url, "register")
    act(staff, case_url, "comment", reason=f"内部备注{token}：此人反映过多次")
    act(staff, case_url, "dispatch", instructions="请尽快清运")
    demo_sign_in(staff, site_url, "cityhandler")
    act(staff, case_url, "accept")
    act(staff, case_url, "feed_back", reason="已清运完毕")
    demo_sign_in(staff, site_url, "gridleader")
    act(staff, case_url, "verify")
    desk.close()

    # The resident sees it closed, with the public timeline only, and says it is not fixed.
    page.goto(site_url + f"/portal/r/{code}/")
    assert page.locator("#request-status").inner_text() == "已结案"
    timeline = page.locator("#request-timeline").inner_text()
    assert "已清运完毕" in timeline and "城市管理" in timeline
    assert f"内部备注{token}" not in page.content()
    shot(page, "request-closed-phone")
    page.locator("label[for=id_fixed_1]").click()
    page.locator("label[for=id_rating_3]").click()
    page.locator("#id_reason").fill("巷口又堆了垃圾")
    page.locator("#rate-submit").click()
    page.wait_for_url(site_url + f"/portal/r/{code}/")
    assert page.locator("#request-status").inner_text() == "已立案"
    timeline = page.locator("#request-timeline").inner_text()
    assert "群众" in timeline and "巷口又堆了垃圾" in timeline
    shot(page, "request-reopened-phone")
    assert not errors and not other_errors, errors + other_errors
