"""Houses and organisations in the real Chromium, on a phone-sized screen: a grid worker
registers a rented house (a rental use without renting is refused first), updates it, records
a resident who moves in, and registers an organisation (a mistyped credit code is refused
first); the history shows each change."""

import datetime
import re

import pytest

from wangge.core.ids import identity_check_character
from wangge.people.tests.test_browser import PHONE, save, shot, sign_in
from wangge.people.tests.test_places import credit_code

pytestmark = pytest.mark.browser


def tenant_number() -> str:
    """A valid number made here, not by the factories: their shared counter feeds other
    tests' numbers, which should not shift because this test ran."""
    first17 = f"620502{datetime.date(1995, 6, 1):%Y%m%d}735"
    return first17 + identity_check_character(first17)


def test_a_grid_worker_registers_and_updates_a_house_and_an_organisation(page, site_url):
    page.set_viewport_size(PHONE)
    sign_in(page, site_url, "gridworker")

    page.goto(site_url + "/people/houses/")
    page.get_by_role("link", name="登记房屋").click()
    page.wait_for_url(re.compile(r".*/people/houses/new/$"))
    assert page.locator("#id_region_code").input_value() == "620502001001001"
    page.locator("#id_address").fill("秦州区测试巷18号")
    page.locator("#id_building_use").select_option("01")
    page.locator("#id_owner_name").fill("岑房东")
    page.locator("#id_rental_use").select_option("02")
    save(page)
    assert page.get_by_text("只有出租房屋才有出租用途").is_visible()
    shot(page, "places-house-register-refused")
    page.locator("#id_rented").check()
    shot(page, "places-house-register")
    save(page)
    page.wait_for_url(re.compile(r".*/people/houses/\d+/$"))
    house_url = page.url
    assert page.get_by_text("房屋已登记。").is_visible()
    assert page.get_by_role("heading", name="秦州区测试巷18号").is_visible()

    page.get_by_role("link", name="更新").click()
    page.locator("#id_hazard").select_option("01")
    page.locator("#id_management_class").select_option("B")
    shot(page, "places-house-edit")
    save(page)
    page.wait_for_url(house_url)
    assert page.locator("dl.facts").get_by_text("火灾").is_visible()

    number = tenant_number()
    page.goto(site_url + "/people/new/")
    page.locator("#id_id_number").fill(number)
    page.locator("#id_name").fill("岑租客")
    save(page)
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    page.goto(house_url)
    page.get_by_role("link", name="添加居住人员").click()
    page.locator("#id_id_number").fill(number)
    save(page)
    page.wait_for_url(house_url)
    assert page.get_by_role("link", name="岑租客").is_visible()
    shot(page, "places-house")

    history = page.locator("ol.history")  # on the house's page
    assert history.get_by_text("添加居住人员").is_visible()
    assert history.get_by_text("隐患类型: 无 → 火灾").is_visible()
    assert number not in page.content()
    shot(page, "places-house-history")

    page.goto(site_url + "/people/organisations/")
    page.get_by_role("link", name="登记单位").click()
    page.locator("#id_name").fill("岑氏测试五金店")
    page.locator("#id_kind").select_option("03")
    code = credit_code("MA22222W")
    page.locator("#id_credit_code").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.locator("#id_legal_representative").fill("岑老板")
    page.locator("#id_representative_mobile").fill("13800007777")
    page.locator("#id_address").fill("秦州区测试巷20号")
    page.locator("#id_employees").fill("4")
    save(page)
    assert page.get_by_text("校验码不符").is_visible()
    page.locator("#id_credit_code").fill(code)
    shot(page, "places-organisation-register")
    save(page)
    page.wait_for_url(re.compile(r".*/people/organisations/\d+/$"))
    assert page.get_by_text("单位已登记。").is_visible()
    assert page.get_by_text("138****7777").is_visible()
    assert "13800007777" not in page.content()
    shot(page, "places-organisation-registered")
