"""The audit log in the real Chromium, against `wangge demo`; screenshot in var/screenshots."""

from pathlib import Path

import pytest

from wangge.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")


def sign_in(page, site_url: str, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("table.audit-table tbody tr").all_inner_texts()


def test_an_administrator_finds_the_sign_ins_just_made_and_filters_them(page, site_url):
    sign_in(page, site_url, "leader", "not the password")
    sign_in(page, site_url, "admin")

    page.goto(site_url + "/audit/")

    newest = rows(page)[0]
    assert "auth.login" in newest and "admin" in newest and "127.0.0.1" in newest
    failed = next(row for row in rows(page) if "auth.login_failed" in row)
    assert "username: leader" in failed and "not the password" not in page.content()

    page.locator("#id_action").fill("auth.")  # every sign-in event
    page.locator(".audit-filter button[type=submit]").click()
    page.wait_for_url("**/audit/?*action=auth.*")

    actions = page.locator("table.audit-table tbody td:nth-child(3)").all_inner_texts()
    assert {"auth.login", "auth.login_failed"} <= set(actions)
    assert all(action.startswith("auth.") for action in actions)
    assert page.locator("a.audit-export").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "audit-log.png", full_page=True)


def test_a_grid_worker_is_refused_the_audit_log(page, site_url):
    sign_in(page, site_url, "gridworker")

    response = page.goto(site_url + "/audit/")

    assert response is not None and response.status == 403
