"""The second factor in the real Chromium, against `wangge demo`; screenshots in
var/screenshots. The account is set up, used and turned off again, so the shared demo server
is left as it was found."""

import time
from pathlib import Path

import pytest

from wangge.accounts import totp
from wangge.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
USERNAME = "gridleader"  # a demo account no other browser test signs in with


def sign_in_with_password(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "/accounts/login/")
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def code_of_step(secret: str, offset: int) -> str:
    """The code `offset` steps from now. Waits out the last seconds of a step, so the step
    does not change between computing the code and the server checking it."""
    while totp.STEP_SECONDS - time.time() % totp.STEP_SECONDS < 4:
        time.sleep(0.5)
    return totp.totp(totp.secret_key(secret), time.time() + offset * totp.STEP_SECONDS)


def submit_code(page, code: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#id_code").fill(code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_a_person_sets_up_an_app_and_signs_in_with_its_code(page, site_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_password(page, site_url)
    page.goto(site_url + "/accounts/authenticator/")
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    assert page.locator("figure.totp-qr svg path").count() >= 1
    page.screenshot(path=SHOTS / "totp-setup.png", full_page=True)

    # Each code comes from a later step than the one before: a code is accepted only once.
    submit_code(page, code_of_step(secret, -1))
    assert page.locator("form[action='/accounts/authenticator/disable/']").is_visible()
    page.screenshot(path=SHOTS / "totp-enrolled.png", full_page=True)
    page.context.clear_cookies()
    sign_in_with_password(page, site_url)
    assert page.url.startswith(site_url + "/accounts/login/code/")
    page.screenshot(path=SHOTS / "totp-sign-in-code.png", full_page=True)
    submit_code(page, code_of_step(secret, 0))

    assert "/accounts/login/" not in page.url
    page.goto(site_url + "/accounts/authenticator/")
    submit_code(page, code_of_step(secret, 1))  # turned off again
    assert page.locator("[data-totp-secret]").is_visible()
