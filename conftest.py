"""Shared fixtures: the demo district loaded once per test session, personas, a browser.

The demo district (real 秦州区 divisions, derived grids) is committed into the test database
once; each test then runs inside a transaction that is rolled back, so tests may read it freely
and must not depend on each other's writes.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.hashers import make_password

from wangge.accounts.models import User

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from wangge.demo.services import demo_district_load

    with django_db_blocker.unblock():
        demo_district_load()


@pytest.fixture(autouse=True)
def calendar_read_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests roll their transactions back, calendar edits with them: the work calendar is
    re-read on every use instead of trusted for a few seconds as in a running site."""
    from wangge.cases import calendar

    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)


@pytest.fixture
def staff_user(db) -> User:  # type: ignore[no-untyped-def]
    """A signed-in member of staff with no special permission (roles come with access rules)."""
    return User.objects.create(
        username="staff", name="测试用户", password=make_password(TEST_PASSWORD)
    )


@pytest.fixture
def staff_client(client, staff_user):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    return client


def require_or_skip(found: bool, what: str) -> None:
    """Locally a missing tool skips with its reason; in CI it fails the run."""
    if found:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but was not found")
    pytest.skip(f"{what} not installed (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require_or_skip(path is not None, "the system Chromium")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served demo's data folder; its `server.log` holds what the demo logged (the text
    messages of the console SMS gateway among it)."""
    return tmp_path_factory.mktemp("site")


def demo_sms_code(site_folder: Path, phone: str) -> str:
    """The last one-time code the served demo texted to `phone` (read from its log)."""
    import re

    from wangge.core.masking import mask_mobile

    pattern = re.compile(rf"SMS to {re.escape(mask_mobile(phone))}: \D*(\d{{6}})")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = pattern.findall((site_folder / "server.log").read_text(encoding="utf-8"))
        if found:
            return str(found[-1])
        time.sleep(0.2)
    raise AssertionError(f"no code texted to {mask_mobile(phone)} in the demo's log")


@pytest.fixture(scope="session")
def site_url(site_folder: Path) -> Iterator[str]:
    """The demo as a person gets it: `wangge demo` in its own process, on its own database
    (a fresh SQLite file, or a separate PostgreSQL database when DATABASE_URL is set)."""
    folder = site_folder
    env = {**os.environ, "WANGGE_DATA_DIR": str(folder)}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = separate_postgresql_database(os.environ["DATABASE_URL"], "_browser")
    port = free_port()
    log = (folder / "server.log").open("w")
    command = [sys.executable, "-m", "wangge", "demo", "--reset", "--addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server, folder / "server.log")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"wangge demo exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"wangge demo did not serve within 300 s:\n{log.read_text()}")


def separate_postgresql_database(url: str, suffix: str) -> str:
    """The same server, a database of its own (created if missing), so the served demo never
    touches the test database or a developer's own."""
    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "wangge") + suffix
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def demo_sign_in(page, site_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in to the served demo as one of its accounts, from a clean session; returns once
    the home page (work queues, or the map) is there."""
    import re

    from wangge.demo.services import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(site_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/(regions/map/)?$"))


@pytest.fixture
def page(browser, site_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A request cut off because the test moved to another page is not a failure.
    page.on(
        "requestfailed",
        lambda request: (
            request.failure == "net::ERR_ABORTED"
            or errors.append(f"request failed: {request.url} {request.failure}")
        ),
    )
    yield page
    context.close()
    assert not errors, errors


# Personas: one per role, in the demo district. Grid A and B are neighbours in one community;
# the outsider works in a township far away.
GRID_A, GRID_B, OUTSIDE_GRID = "620502001001001", "620502001001002", "620502103200001"
TOWNSHIP, DISTRICT = "620502001", "620502"


def make_persona(username: str, role: str, *, region: str | None = None, department=None):  # type: ignore[no-untyped-def]
    import datetime

    from wangge.accounts.models import Membership

    user = User.objects.create(
        username=username, name=username, password=make_password(TEST_PASSWORD)
    )
    Membership.objects.create(
        user=user,
        role=role,
        region_id=region,
        department=department,
        starts_on=datetime.date(2026, 1, 1),
    )
    return user


@pytest.fixture
def grid_worker_a(db):  # type: ignore[no-untyped-def]
    return make_persona("worker_a", "grid_worker", region=GRID_A)


@pytest.fixture
def grid_worker_b(db):  # type: ignore[no-untyped-def]
    return make_persona("worker_b", "grid_worker", region=GRID_B)


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return make_persona("outsider", "grid_worker", region=OUTSIDE_GRID)


@pytest.fixture
def dispatcher(db):  # type: ignore[no-untyped-def]
    return make_persona("t_dispatcher", "dispatcher", region=TOWNSHIP)


@pytest.fixture
def department_handler(db):  # type: ignore[no-untyped-def]
    from wangge.accounts.models import Department

    station = Department.objects.create(
        code="test-police",
        name="测试派出所",
        kind="police",
        region_id="620502103",
        category_codes=["220"],
    )
    return make_persona("t_handler", "department_handler", department=station)


@pytest.fixture
def district_admin(db):  # type: ignore[no-untyped-def]
    """Administrators must use a second factor: this one has set it up."""
    from wangge.accounts.tests.factories import totp_enrolled

    admin = make_persona("t_district_admin", "district_admin", region=DISTRICT)
    totp_enrolled(admin)
    return admin


@pytest.fixture
def leader(db):  # type: ignore[no-untyped-def]
    return make_persona("t_leader", "leader", region=DISTRICT)


@pytest.fixture
def auditor(db):  # type: ignore[no-untyped-def]
    return make_persona("t_auditor", "auditor", region=DISTRICT)


@pytest.fixture(autouse=True)
def sms_outbox(settings):  # type: ignore[no-untyped-def]
    """Text messages go to an in-memory outbox in tests: (phone, text), newest last."""
    from wangge.portal import sms

    settings.WANGGE_SMS_BACKEND = "wangge.portal.sms.OutboxBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def resident_signed_in(client, phone: str = "13900000001"):  # type: ignore[no-untyped-def]
    """A browser session that has proved `phone` with a one-time code, as the portal keeps it."""
    from django.utils import timezone

    from wangge.portal.session import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {"phone": phone, "at": timezone.now().isoformat()}
    session.save()
    return client


@pytest.fixture
def resident(db):  # type: ignore[no-untyped-def]
    """Signs in, holds no post: reaches nothing scoped."""
    return User.objects.create(
        username="resident", name="居民", password=make_password(TEST_PASSWORD)
    )
