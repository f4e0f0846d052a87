"""The register in the real Chromium, on a phone-sized screen: a grid worker registers and
updates a person and sees their identity number in full with a purpose; a move out of the
worker's reach is refused, the township dispatcher makes it; the auditor sees the read."""

import datetime
import re
from pathlib import Path

import pytest

from conftest import demo_sign_in
from wangge.people.tests.factories import identity_number

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}


sign_in = demo_sign_in


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"people-{name}.png", full_page=True)


def save(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form.stack button[type=submit]").click()


def test_a_grid_worker_keeps_a_record_on_a_phone_and_the_reads_are_audited(page, site_url):
    number = identity_number(datetime.date(1941, 7, 9), male=False)
    page.set_viewport_size(PHONE)
    sign_in(page, site_url, "gridworker")

    page.goto(site_url + "/people/new/")
    assert page.locator("#id_region_code").input_value() == "620502001001001"
    page.locator("#id_id_number").fill(number)
    page.locator("#id_name").fill("岑彧珺")
    page.locator("#id_sex").select_option("2")
    page.locator("#id_mobile").fill("13800009999")
    shot(page, "register")
    save(page)
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    person_url = page.url
    assert page.get_by_role("heading", name="岑彧珺").is_visible()
    assert number not in page.content()

    page.locator(f"a[href='{person_url[len(site_url) :]}categories/left_behind/']").click()
    save(page)  # the kind of left-behind person is required
    assert page.locator("p.error").first.is_visible()
    page.locator("#id_left_behind_type").select_option("01")
    page.locator("#id_health").select_option("03")
    page.locator("#id_family_member_away").fill("岑刚")
    shot(page, "category")
    save(page)
    page.wait_for_url(person_url)
    assert page.get_by_role("heading", name="留守人员").is_visible()
    assert page.get_by_text("留守老人", exact=True).is_visible()

    page.locator("a[href$='/tags/']").click()
    page.locator("#id_tags").fill("独居老人，低保")
    save(page)
    page.wait_for_url(person_url)
    assert page.locator("a.tag", has_text="低保").is_visible()
    assert page.get_by_text("标签: — → 独居老人、低保").is_visible()
    shot(page, "categories-and-tags")

    page.locator("a[href$='/edit/']").click()
    page.locator("#id_occupation").fill("退休教师")
    save(page)
    page.wait_for_url(person_url)
    assert page.get_by_text("退休教师", exact=True).is_visible()

    page.locator("a[href$='/move/']").click()
    page.locator("#id_region_code").fill("620502001001002")
    save(page)
    assert page.locator("p.error").first.is_visible()
    shot(page, "move-refused")

    page.goto(person_url)
    page.locator("a.sensitive-unmask").first.click()
    page.locator("#id_purpose").select_option("assistance_visit")
    page.locator("#id_purpose_text").fill("入户走访核实")
    page.get_by_role("button", name="查看明文").click()
    page.wait_for_url(person_url)
    assert number in page.content()
    shot(page, "detail-unmasked")

    sign_in(page, site_url, "dispatcher")
    page.goto(person_url + "move/")
    page.locator("#id_region_code").fill("620502001001002")
    save(page)
    page.wait_for_url(person_url)
    assert page.locator("dl.facts").get_by_text("620502001001002", exact=True).is_visible()
    shot(page, "detail-moved")
    page.goto(site_url + "/people/?text=cyj")
    assert page.get_by_role("link", name="岑彧珺").is_visible()
    shot(page, "list")
    page.goto(site_url + "/regions/620502001001/")
    assert page.locator("section", has=page.locator("a[href*='category=registered']")).is_visible()
    shot(page, "region")

    sign_in(page, site_url, "auditor")
    person_id = person_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(site_url + f"/privacy/reads/person/{person_id}/")
    assert page.get_by_text("入户走访核实").is_visible()
    shot(page, "reads")
