"""A petition runs through acceptance, extension, opinion, review and re-review in the real
Chromium, by the demo accounts who do each step: the petitions officer registers a group
visit and routes it to the police station of 620502001, the station's handler accepts it,
asks for an extension (approved by the officer), issues the written opinion, the officer
closes it; the review and the re-review go to a district bureau (urban management, whose
handler is a demo account). Browser time cannot be frozen: the due dates shown are checked
against what the deadline arithmetic computes for today; the limits themselves are checked
with frozen time in test_services.py. Screenshots go to var/screenshots/."""

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import demo_sign_in
from wangge.cases.deadlines import calendar_days, limit_end
from wangge.cases.workcalendar import calendar_from_chinese_calendar, chinese_calendar_years

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
SHANGHAI = ZoneInfo("Asia/Shanghai")
sign_in = demo_sign_in


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"petitions-{name}.png", full_page=True)


def due_after(days: int) -> str:
    """What the server computes for a calendar-day limit started today (its calendar holds
    the official schedule of the years the installed package knows, weekends elsewhere)."""
    work = calendar_from_chinese_calendar(sorted(chinese_calendar_years()))
    end = limit_end(calendar_days(days), datetime.now(UTC), work)
    return end.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def act(page, url: str, action: str, *, same_page: bool = True, **fields: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
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
    if same_page:
        page.wait_for_url(url)
        assert page.locator("#action-error, #conflict").count() == 0
    else:
        page.wait_for_url(lambda new: new != url and re.search(r"/petitions/\d+/$", new))


def clock_due(page, label: str) -> str:  # type: ignore[no-untyped-def]
    row = page.locator("#clock tbody tr", has_text=label)
    return str(row.locator(".due").inner_text())


def unit_option(page, code: str) -> str:  # type: ignore[no-untyped-def]
    option = page.locator(f"#lead-department option[data-code='{code}']")
    return str(option.get_attribute("value"))


def route_to(page, url: str, code: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    act(page, url, "route", lead_department=unit_option(page, code))


def opinion(page, url: str, decision: str) -> None:  # type: ignore[no-untyped-def]
    act(
        page,
        url,
        "issue_opinion",
        decision=decision,
        facts="经查，村道硬化占地补偿款因账户信息错误未能到账。",
        reasons="补偿款应依法足额发放。",
        basis="《中华人民共和国土地管理法》第四十八条",
    )


def test_a_petition_runs_through_acceptance_extension_opinion_review_and_re_review(  # type: ignore[no-untyped-def]
    page, site_url
):
    # The petitions officer registers a group visit with two representatives.
    sign_in(page, site_url, "petitionofficer")
    page.goto(site_url + "/petitions/")
    page.get_by_role("link", name="登记信访").click()
    page.locator("#id_form").select_option("visit")
    page.locator("#id_matter_kind").select_option("appeal")
    page.locator("#id_region_code").fill("620502001001001")
    page.locator("#id_address").fill("村道硬化工程三组段")
    page.locator("#id_request").fill("村道硬化工程占用承包地，补偿款至今未发放，请求督促发放。")
    page.locator("#id_petitioner_name").fill("王建国")
    page.locator("#id_petitioner_id_number").fill("620502198001010012")
    page.locator("#id_petitioner_phone").fill("13809381234")
    page.locator("#id_people_count").fill("12")
    page.locator("#id_group").check()
    page.locator("[name=rep_name_1]").fill("王建国")
    page.locator("[name=rep_name_2]").fill("李秀英")
    shot(page, "register")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(r".*/petitions/\d+/$"))
    url = page.url
    assert page.locator("#case-status").inner_text() == "已立案"
    assert "620502********0012" in page.locator("#petitioner").inner_text()
    assert clock_due(page, "登记并转送") == due_after(15)

    route_to(page, url, "police-620502001")
    assert "派出所" in page.locator("#handling-unit").inner_text()
    assert clock_due(page, "告知是否受理") == due_after(15)

    # The station's handler accepts it; the acceptance notice prints.
    sign_in(page, site_url, "handler")
    act(page, url, "accept", reason="本单位依法受理，将在法定期限内办理。")
    assert page.locator("#case-status").inner_text() == "处理中"
    assert clock_due(page, "办理并出具处理意见") == due_after(60)
    page.locator("#letter-acceptance").click()
    assert "受理告知书" in page.locator("h1").inner_text()
    shot(page, "letter-acceptance")

    act(page, url, "request_extension", extension_days="30", reason="需委托第三方核实补偿数额。")

    # The officer approves the extension: the petitioner is told why.
    sign_in(page, site_url, "petitionofficer")
    act(page, url, "approve_extension")
    assert clock_due(page, "办理并出具处理意见") == due_after(90)
    page.locator("#letter-extension").click()
    assert "需委托第三方核实补偿数额" in page.locator("article").inner_text()

    sign_in(page, site_url, "handler")
    opinion(page, url, "support")
    shot(page, "opinion-given")
    page.locator("#letter-opinion").click()
    assert "信访处理意见书" in page.locator("h1").inner_text()
    shot(page, "letter-opinion")

    # The officer closes it; the petitioner asks for a review, which goes to a district bureau.
    sign_in(page, site_url, "petitionofficer")
    act(page, url, "close")
    assert page.locator("#case-status").inner_text() == "已结案"
    assert clock_due(page, "申请下一程序") == due_after(30)
    act(page, url, "request_review", same_page=False, reason="对处理意见中的补偿数额不服。")
    review_url = page.url
    assert page.locator("#petition-stage").inner_text() == "复查"
    assert clock_due(page, "办理并出具处理意见") == due_after(30)
    route_to(page, review_url, "urban-management")

    sign_in(page, site_url, "cityhandler")
    act(page, review_url, "accept", reason="依法受理复查申请。")
    opinion(page, review_url, "explain")
    page.locator("#letter-opinion").click()
    assert "复查意见书" in page.locator("h1").inner_text()

    sign_in(page, site_url, "petitionofficer")
    act(page, review_url, "close")
    act(page, review_url, "request_review", same_page=False, reason="仍不服，申请复核。")
    re_review_url = page.url
    assert page.locator("#petition-stage").inner_text() == "复核"
    route_to(page, re_review_url, "urban-management")

    sign_in(page, site_url, "cityhandler")
    act(page, re_review_url, "accept", reason="依法受理复核申请。")
    opinion(page, re_review_url, "not_support")

    sign_in(page, site_url, "petitionofficer")
    act(page, re_review_url, "close")
    # After the re-review the same request is closed: no further request is offered.
    assert page.locator("#action-request_review").count() == 0
    assert "不再受理" in page.locator("#review-refusal").inner_text()
    shot(page, "re-review-closed")
    page.goto(site_url + "/petitions/statistics/")
    assert page.locator("#total").count() == 1
    shot(page, "statistics")

    # On a phone: a group visit with six representatives is refused with the rule named.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/petitions/")
    listed = page.locator("#petitions li").count()
    page.goto(site_url + "/petitions/register/")
    page.locator("#id_request").fill("六名代表的集体访")
    page.locator("#id_petitioner_name").fill("赵六")
    page.locator("#id_region_code").fill("620502001001001")
    page.locator("#id_address").fill("三组")
    page.locator("#id_people_count").fill("30")
    page.locator("#id_group").check()
    for row in range(1, 7):
        page.locator(f"[name=rep_name_{row}]").fill(f"代表{row}")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_selector("#form-errors")
    assert "至多 5 人" in page.locator("#form-errors").inner_text()
    shot(page, "six-representatives-phone")
    page.goto(site_url + "/petitions/")
    assert page.locator("#petitions li").count() == listed  # nothing was saved
