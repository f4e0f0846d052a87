"""A special report in the real Chromium: the village cadre of 620502001001 files one; the
township dispatcher finds it in the list and acknowledges it for the township. Screenshots
go to var/screenshots/."""

import re
import time
from pathlib import Path

import pytest

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
TOWNSHIP = "620502001"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"reports-special-{name}.png", full_page=True)


def test_a_special_report_goes_up_and_the_township_acknowledges_it(page, site_url):  # type: ignore[no-untyped-def]
    title = f"村口聚集 {int(time.time())}"
    demo_sign_in(page, site_url, "villagecadre")
    page.goto(site_url + "/reports/special/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_text").fill("约三十人聚集在村委会门口，情绪激动，已劝离一部分。")
    shot(page, "new")
    page.locator("#special-submit").click()
    page.wait_for_url(re.compile(r"/reports/special/\d+/$"))
    chain = page.locator("#special-chain")
    assert chain.locator("tr[data-state='waiting']").count() == 2
    shot(page, "filed")

    demo_sign_in(page, site_url, "dispatcher")
    page.goto(site_url + "/reports/special/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/reports/special/\d+/$"))
    page.locator(f"#ack-{TOWNSHIP}").click()
    page.wait_for_load_state()
    township = page.locator(f"#special-chain tr[data-level='{TOWNSHIP}']")
    assert township.get_attribute("data-state") == "acknowledged"
    assert (
        page.locator("#special-chain tr[data-level='620502']").get_attribute("data-state")
        == "waiting"
    )
    shot(page, "acknowledged")
