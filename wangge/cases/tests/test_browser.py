"""One case through every step in the real Chromium, by the people who do each step:
a grid worker reports it from a phone, the dispatcher registers and dispatches it, the
city-management bureau sends it back (not theirs), the police station takes it, asks for
more time and reports it done, the grid leader finds it not done (rework), then verifies and
closes it, and the grid worker rates it. Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}


sign_in = demo_sign_in


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"cases-{name}.png", full_page=True)


def act(page, case_url: str, action: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    """Open the action on the case page, fill its fields (options by value) and send it."""
    page.goto(case_url)
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        field = box.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value=value)
        else:
            field.fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_url(case_url)


def status(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#case-status").inner_text()


def test_one_case_through_every_step_with_send_back_rework_and_extension(browser, site_url):  # type: ignore[no-untyped-def]
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The grid worker, on a phone: category, description, a pin on the map of the grid.
    sign_in(page, site_url, "gridworker")
    page.get_by_role("link", name="上报问题").first.click()
    page.locator("#id_category").select_option("E0102")
    page.locator("#id_description").fill("菜市场东口垃圾堆积，已有异味")
    page.get_by_role("button", name="在地图上选点").click()
    page.wait_for_selector("#pin-map .leaflet-interactive", timeout=30_000)
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('[name=lon]').value !== ''")
    page.wait_for_function(
        "() => /\\(62050\\d+\\)/.test(document.getElementById('location-status').textContent)"
    )
    shot(page, "report-phone")
    page.get_by_role("button", name="上报").click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_url = page.url
    number = page.locator(".facts .code").first.inner_text()
    assert re.fullmatch(r"620502-\d{4}-\d{6}", number)
    assert status(page) == "已上报"
    shot(page, "reported-phone")
    phone.close()

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The dispatcher finds it in the queue, registers it and dispatches it (by rule: 城管).
    sign_in(page, site_url, "dispatcher")
    assert int(page.locator("#queue-to_register .count").inner_text()) >= 1
    shot(page, "home-dispatcher")
    page.locator("#queue-to_register").click()
    page.get_by_text(number).click()
    page.wait_for_url(case_url)
    act(page, case_url, "register")
    assert status(page) == "已立案"
    act(page, case_url, "dispatch", instructions="请尽快清运")
    assert status(page) == "已派遣"
    assert "城市管理综合执法局" in page.locator("#tasks-title + div").inner_text()

    # The city-management bureau: not ours.
    sign_in(page, site_url, "cityhandler")
    act(page, case_url, "send_back", reason="菜市场由市场监管和属地派出所管理，不属本局")
    assert status(page) == "已回退"

    # The dispatcher sends it to the police station instead.
    sign_in(page, site_url, "dispatcher")
    page.goto(case_url)
    options = page.locator("#action-dispatch select[name=lead_department] option")
    police = options.filter(has_text="派出所").first.get_attribute("value")  # the first township's
    act(page, case_url, "dispatch", lead_department=police)
    assert status(page) == "已派遣"

    # The station accepts, asks for two more working days.
    sign_in(page, site_url, "handler")
    act(page, case_url, "accept")
    assert status(page) == "处理中"
    due_before = page.locator("#case-due").inner_text()
    act(page, case_url, "request_extension", extension_days="2", reason="需协调环卫车辆")

    sign_in(page, site_url, "dispatcher")
    act(page, case_url, "approve_extension")
    assert page.locator("#case-due").inner_text() != due_before

    sign_in(page, site_url, "handler")
    act(page, case_url, "feed_back", reason="已组织清运")
    assert status(page) == "办结待核查"
    assert page.locator("#action-verify").count() == 0  # the handler never verifies

    # The grid leader checks on site: not done (rework); then done (verify and close).
    sign_in(page, site_url, "gridleader")
    act(page, case_url, "rework", reason="东口仍有两袋垃圾")
    assert status(page) == "处理中"
    sign_in(page, site_url, "handler")
    act(page, case_url, "feed_back", reason="已全部清运并冲洗地面")
    sign_in(page, site_url, "gridleader")
    act(page, case_url, "verify")
    assert status(page) == "已结案"

    # The reporter rates it.
    sign_in(page, site_url, "gridworker")
    act(page, case_url, "rate", rating="5", satisfied="yes")
    timeline = page.locator("#timeline").inner_text()
    for step in (
        "上报",
        "立案",
        "派遣",
        "回退",
        "受理",
        "申请延期",
        "同意延期",
        "返工",
        "核查结案",
        "评价",
    ):
        assert step in timeline, step
    shot(page, "closed-timeline")
    desk.close()
    assert not errors, errors


def test_a_stale_action_is_told_what_changed(browser, site_url):  # type: ignore[no-untyped-def]
    """Two dispatchers at once: the second one's click is refused with what happened."""
    first = browser.new_context(locale="zh-CN")
    second = browser.new_context(locale="zh-CN")
    worker = first.new_page()
    sign_in(worker, site_url, "gridworker")
    worker.goto(site_url + "/cases/report/")
    worker.locator("#id_category").select_option("E0102")
    worker.locator("#id_description").fill("人行道垃圾桶满溢")
    worker.locator("#id_address").fill("大城街道青年北路口")
    worker.evaluate(
        "() => { const [lon, lat] = [105.7245, 34.5805];"
        " document.querySelector('[name=lon]').value = lon;"
        " document.querySelector('[name=lat]').value = lat; }"
    )
    worker.get_by_role("button", name="上报").click()
    worker.wait_for_load_state()
    if "/cases/report/" in worker.url:  # a likely duplicate nearby: report it as new
        worker.get_by_role("button", name="作为新案件上报").click()
    worker.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_url = worker.url

    one, two = first.new_page(), second.new_page()
    sign_in(one, site_url, "dispatcher")
    sign_in(two, site_url, "dispatcher")
    one.goto(case_url)
    two.goto(case_url)
    one.locator("#action-register summary").click()
    one.locator("#action-register button[type=submit]").click()
    one.wait_for_url(case_url)
    two.locator("#action-cancel summary").click()
    two.locator("#action-cancel textarea").fill("重复")
    two.locator("#action-cancel button[type=submit]").click()
    two.wait_for_selector("#conflict")
    assert "其他人刚刚处理了这个案件" in two.locator("#conflict").inner_text()
    assert "立案" in two.locator("#conflict").inner_text()
    shot(two, "conflict")
    first.close()
    second.close()


def test_the_report_form_asks_for_the_category_s_own_fields(page, site_url):  # type: ignore[no-untyped-def]
    sign_in(page, site_url, "gridworker")
    page.goto(site_url + "/cases/report/")
    assert page.locator("#extra-fields input, #extra-fields select").count() == 0
    page.locator("#id_category").select_option("D0101")
    assert page.get_by_label("涉及人数").is_visible()
    assert page.get_by_label("涉及金额（元）").is_visible()
    page.locator("#id_category").select_option("S0401")
    assert page.get_by_label("相关人员").get_attribute("placeholder") == "实有人口中的身份证号"
    assert page.locator("#extra-fields label").count() == 1
    shot(page, "report-extra-fields")
