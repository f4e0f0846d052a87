"""A dispute in the real Chromium, by the people who handle it: the village mediator records
it with its parties and two sessions, records the agreement and prints it; the township's
leader lists it as major; the mediator reports the outcome; the township leader checks it
and closes it. Screenshots go to var/screenshots/."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"mediation-{name}.png", full_page=True)


def open_step(page, step: str):  # type: ignore[no-untyped-def]
    box = page.locator(f"#step-{step}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def test_a_dispute_from_recording_to_closing(page, site_url):  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    demo_sign_in(page, site_url, "mediator")
    page.goto(f"{site_url}/mediation/")
    page.click("#record-dispute")
    page.select_option("#id_category", value="D0101")
    page.fill("#id_address", "三组12号")
    page.fill("#id_title", "赡养老人费用纠纷")
    page.fill("#id_description", "兄弟二人对母亲赡养费分担有争议。")
    page.fill("#id_party1_name", "王大成")
    page.fill("#id_party2_name", "王二成")
    shot(page, "record")
    page.click("#record-submit")
    page.wait_for_url(re.compile(r"/mediation/\d+/$"))
    dispute_url = page.url
    assert "王大成" in page.inner_text("#parties")
    assert page.inner_text("#case-status")

    for days_ago, summary in ((1, "分别听取兄弟二人意见。"), (0, "双方同意按比例分担。")):
        box = open_step(page, "session")
        box.locator("[name=held_on]").fill((date.today() - timedelta(days=days_ago)).isoformat())
        box.locator("[name=place]").fill("村委会调解室")
        box.locator("[name=attendees]").fill("王大成、王二成、调解员")
        box.locator("[name=summary]").fill(summary)
        box.locator("button[type=submit]").click()
        page.wait_for_url(dispute_url)
    assert page.locator("#sessions li").count() == 2

    box = open_step(page, "agreement")
    box.locator("[name=facts]").fill("兄弟二人对母亲赡养费分担有争议。")
    box.locator("[name=terms]").fill("王大成每月负担赡养费600元，王二成每月负担400元。")
    box.locator("[name=performance]").fill("每月5日前转账至母亲账户。")
    box.locator("[name=amount_yuan]").fill("12000")
    box.locator("[name=effective_on]").fill(date.today().isoformat())
    box.locator("button[type=submit]").click()
    page.wait_for_url(dispute_url)
    assert "600元" in page.inner_text("#agreement")
    shot(page, "agreement")

    page.click("#print-agreement")
    assert "人民调解协议书" in page.content()
    assert "王大成" in page.content() and "600元" in page.content()
    shot(page, "agreement-print")
    pdf = page.request.get(page.url + "pdf/")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"

    sign_out(page)
    demo_sign_in(page, site_url, "townshipleader")
    page.goto(dispute_url)
    box = open_step(page, "major")
    box.locator("[name=reason]").fill("涉及老人赡养，易激化")
    box.locator("button[type=submit]").click()
    page.wait_for_url(dispute_url)
    assert page.locator("#major-badge").is_visible()
    page.goto(f"{site_url}/mediation/major/")
    assert "赡养老人费用纠纷" in page.inner_text("#major-table")
    shot(page, "major-list")

    sign_out(page)
    demo_sign_in(page, site_url, "mediator")
    page.goto(dispute_url)
    box = open_step(page, "outcome")
    box.locator("[name=outcome][value=agreement]").check()
    box.locator("button[type=submit]").click()
    page.wait_for_url(dispute_url)

    sign_out(page)
    demo_sign_in(page, site_url, "townshipleader")
    page.goto(dispute_url)
    page.click("#verify-link")
    box = page.locator("#action-verify")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(dispute_url)
    assert page.inner_text("#case-status") in {"已结案", "Closed"}
    shot(page, "closed")
    # Still on the leaders' list until taken off (挂牌销号).
    page.goto(f"{site_url}/mediation/major/")
    assert "赡养老人费用纠纷" in page.inner_text("#major-table")
