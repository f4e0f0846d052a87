"""One legal aid application through every step in the real Chromium, by the district's legal
aid officer: received at the window (on a phone-sized screen) with a photo of the applicant's
低保 certificate, granted, assigned to a lawyer and closed with its outcome. Screenshots go to
var/screenshots/legalaid-*.png."""

import io
import re
from pathlib import Path

import pytest

from conftest import demo_sign_in
from wangge.core.ids import identity_check_character

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}
IDENTITY = "62050219850315002" + identity_check_character("62050219850315002")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"legalaid-{name}.png", full_page=True)


def certificate_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "#f3e7c9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 468, 308), outline="#8a1c1c", width=6)
    draw.text((40, 40), "Minimum living allowance certificate (demo)", fill="#8a1c1c")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def status(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#application-status").inner_text()


def test_an_officer_receives_grants_assigns_and_closes_an_application(page, site_url):  # type: ignore[no-untyped-def]
    demo_sign_in(page, site_url, "legalaid")
    page.goto(site_url + "/legal-aid/")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="受理申请").click()

    page.locator("#id_applicant_name").fill("李桂兰")
    page.locator("#id_applicant_id_number").fill(IDENTITY)
    page.locator("#id_applicant_phone").fill("19900001234")
    page.locator("#id_region_code").select_option("620502001001")
    page.locator("#id_matter_kind").select_option("labour")
    page.locator("#id_matter").fill(
        "在建筑工地务工八个月，包工头拖欠工资两万三千元，多次讨要未果。"
    )
    page.locator("#id_hardship").select_option("subsistence")
    page.locator("#id_evidence").set_input_files(
        files=[{"name": "低保证.png", "mimeType": "image/png", "buffer": certificate_png()}]
    )
    shot(page, "receive-phone")
    page.get_by_role("button", name="受理", exact=True).click()
    page.wait_for_url(re.compile(r".*/legal-aid/\d+/$"))
    detail_url = page.url

    number = page.locator("#application-number").inner_text()
    assert re.fullmatch(r"LA-620502-\d{4}-\d{4}", number)
    assert status(page) == "已受理，待审查"
    assert page.locator("#id-number").inner_text() == "620502********" + IDENTITY[-4:]
    assert page.locator("#phone").inner_text() == "199****1234"
    evidence = page.locator("#evidence img")
    assert evidence.count() == 1
    page.wait_for_function("() => document.querySelector('#evidence img').naturalWidth > 0")
    shot(page, "received-phone")

    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_label("给予法律援助").check()
    page.get_by_role("button", name="保存决定").click()
    page.wait_for_url(detail_url)
    assert status(page) == "准予援助，待指派"

    page.locator("#id_provider").fill("张明律师（甘肃陇原律师事务所）")
    page.get_by_role("button", name="指派", exact=True).click()
    page.wait_for_url(detail_url)
    assert status(page) == "已指派"
    assert "张明律师" in page.locator("#provider").inner_text()

    page.locator("#id_outcome").fill("经调解，用工方支付拖欠工资两万元，申请人满意。")
    page.get_by_role("button", name="结案", exact=True).click()
    page.wait_for_url(detail_url)
    assert status(page) == "已结案"
    assert page.locator("#close-form").count() == 0
    shot(page, "closed")

    page.goto(site_url + "/legal-aid/?status=closed")
    assert number in page.locator("#applications").inner_text()
    shot(page, "list")
