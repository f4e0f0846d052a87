"""The register's other pages in the real Chromium, as the township dispatcher: houses,
households, organisations, the import page, and merging a duplicate record."""

import datetime
import re

import pytest

from wangge.people.tests.factories import identity_number
from wangge.people.tests.test_browser import save, shot, sign_in

pytestmark = pytest.mark.browser


def register(page, site_url: str, number: str, name: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(site_url + "/people/new/")
    page.locator("#id_region_code").fill("620502001001003")
    page.locator("#id_id_number").fill(number)
    page.locator("#id_name").fill(name)
    save(page)
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    return str(page.url)


def test_a_dispatcher_merges_a_duplicate_record(page, site_url):
    born = datetime.date(1962, 3, 4)
    first, second = identity_number(born), identity_number(born)
    sign_in(page, site_url, "dispatcher")
    kept = register(page, site_url, first, "重复甲")
    register(page, site_url, second, "重复甲")

    page.goto(kept)
    page.locator("a[href$='/merge/']").click()
    page.locator("#id_other_id_number").fill("620502196203049999")
    save(page)
    assert page.locator(".error").first.is_visible()  # nobody with that number: nothing merged
    page.locator("#id_other_id_number").fill(second)
    page.locator("input[name=survivor][value=this]").check()
    shot(page, "merge")
    save(page)

    page.wait_for_url(kept)
    assert page.get_by_text("两条记录已合并").is_visible()
    assert page.get_by_text("合并了重复记录").first.is_visible()  # in the history


def test_a_dispatcher_walks_houses_households_and_organisations(page, site_url):
    sign_in(page, site_url, "dispatcher")

    page.goto(site_url + "/people/houses/")
    assert page.get_by_role("heading", name="房屋").is_visible()
    page.locator("main a[href*='/people/houses/']").first.click()
    page.wait_for_url(re.compile(r".*/people/houses/\d+/$"))
    assert page.get_by_text("建筑用途").is_visible()
    shot(page, "house")

    page.goto(site_url + "/people/?region=620502001001001")
    person_links = page.locator("main a[href$='/'][href*='/people/']")
    href = next(
        link
        for link in person_links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        if re.fullmatch(r"/people/\d+/", link)
    )
    page.goto(site_url + href)
    page.locator("a[href*='/people/households/']").first.click()
    assert page.get_by_text("户号").first.is_visible()
    shot(page, "household")

    page.goto(site_url + "/people/organisations/")
    page.locator("main a[href*='/people/organisations/']").first.click()
    page.wait_for_url(re.compile(r".*/people/organisations/\d+/$"))
    assert page.get_by_text("统一社会信用代码").is_visible()
    shot(page, "organisation")

    page.goto(site_url + "/people/import/")
    assert page.get_by_role("heading", name="导入人员").is_visible()
    shot(page, "import")
