"""Drive the real Chromium through the pages a person uses; screenshots go to var/screenshots."""

import re
from pathlib import Path

import pytest

from wangge.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")


def sign_in(page, site_url: str, username: str = "gridworker") -> None:
    page.goto(site_url + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/(regions/map/)?$"))  # home: work or map
    page.goto(site_url + "/regions/map/")


def wait_for_map(page) -> None:
    page.wait_for_selector("#map[data-ready='true']", timeout=30_000)


def click_lon_lat(page, lon: float, lat: float) -> None:
    x, y = page.evaluate(
        "([lon, lat]) => { const p = document.getElementById('map').wanggeMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lon, lat],
    )
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def api(page, site_url: str, path: str):  # type: ignore[no-untyped-def]
    return page.request.get(f"{site_url}/api/v1/{path}").json()


def test_a_grid_worker_signs_in_and_sees_the_district_and_its_grids(page, site_url):
    grid_count = len(api(page, site_url, "regions/620502/layer?level=grid")["features"])

    sign_in(page, site_url)
    wait_for_map(page)

    assert page.url.endswith("/regions/map/")
    paths = page.locator("#map svg path").count()
    assert paths >= grid_count + 463 + 23 + 1  # grids, villages, townships, the outline
    assert "Vonng/adcode" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.get_by_text("网格", exact=True).count() >= 1  # the layer switcher
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "map-district.png")


def test_clicking_a_grid_shows_its_code_village_township_and_workers(page, site_url):
    grid = api(page, site_url, "regions/620502103200001")
    names = [worker["name"] for worker in grid["workers"]]
    parents = {parent["level"]: parent["name"] for parent in grid["parents"]}
    sign_in(page, site_url)
    wait_for_map(page)

    page.locator("#region-query").fill("620502103200")
    page.get_by_role("button", name="搜索").click()
    page.locator("button[data-code='620502103200']").click()  # the village: map fits to it
    page.wait_for_selector("#region-info[data-code='620502103200']")
    page.wait_for_timeout(600)  # the zoom animation
    click_lon_lat(page, grid["centre"]["lon"], grid["centre"]["lat"])

    page.wait_for_selector(f"#region-info[data-code='{grid['code']}']")
    text = page.locator("#region-info").inner_text()
    assert grid["code"] in text
    assert parents["village"] in text and parents["township"] in text
    assert len(names) == 2 and all(name in text for name in names)
    page.screenshot(path=SHOTS / "map-grid.png")


def test_a_click_on_another_grid_switches_the_panel(page, site_url):
    first, second = (api(page, site_url, f"regions/62050200100100{n}") for n in (1, 2))
    sign_in(page, site_url)
    page.goto(f"{site_url}/regions/map/?focus=620502001001")
    wait_for_map(page)
    page.wait_for_selector("#region-info[data-code='620502001001']")
    page.wait_for_timeout(600)

    click_lon_lat(page, first["centre"]["lon"], first["centre"]["lat"])
    page.wait_for_selector(f"#region-info[data-code='{first['code']}']")
    click_lon_lat(page, second["centre"]["lon"], second["centre"]["lat"])
    page.wait_for_selector(f"#region-info[data-code='{second['code']}']")


def test_region_page_lists_townships_and_links_down_to_a_grid(page, site_url):
    sign_in(page, site_url)
    page.goto(site_url + "/regions/620502/")

    assert page.locator("table tbody tr").count() == 23
    page.get_by_role("link", name="大城街道").click()
    page.get_by_role("link", name="进步巷社区居委会").click()
    assert page.get_by_role("heading", name="进步巷社区居委会").is_visible()
    page.screenshot(path=SHOTS / "region-village.png", full_page=True)
    page.locator("table tbody tr a").first.click()
    assert page.get_by_text("网格长").is_visible()


def test_a_wrong_password_is_refused_with_a_message(page, site_url):
    page.goto(site_url + "/accounts/login/")
    page.get_by_label("用户名").fill("gridworker")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()

    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url


def test_each_persona_sees_its_own_posts_and_reach(page, site_url):
    expected = {
        "gridworker": "620502001001001",
        "dispatcher": "620502001",
        "auditor": "620502",
    }
    for username, code in expected.items():
        page.context.clear_cookies()
        sign_in(page, site_url, username)
        page.goto(site_url + "/accounts/me/")
        reach = page.locator("ul.reach").inner_text()
        assert f"（{code}）" in reach or f"({code})" in reach, (username, reach)
        page.screenshot(path=SHOTS / f"my-access-{username}.png", full_page=True)
