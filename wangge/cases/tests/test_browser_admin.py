"""The work calendar and the notification inbox in the real Chromium: a district
administrator adds a holiday and sees an unconfirmed year called provisional; a unit's
handler reads the notifications of cases dispatched to the unit and marks one read."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import demo_sign_in, separate_postgresql_database

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")

# Three cases reported in the first grid and dispatched to the township police station (the
# demo `handler`); two of them twenty days ago, so that the sweep raises red supervision.
CASES_DISPATCHED = """
from datetime import timedelta
from django.utils import timezone
from wangge.accounts.models import User
from wangge.cases import services
from wangge.cases.services import ActionInput, ReportInput
from wangge.regions.models import Region
worker, dispatcher, handler = (
    User.objects.get(username=name) for name in ("gridworker", "dispatcher", "handler")
)
grid = Region.objects.filter(level="grid").order_by("code").first()
unit = handler.memberships.get().department
now = timezone.now()
for days, text in ((20, "小区门口垃圾堆积"), (20, "路边倾倒建筑垃圾"), (0, "绿化带内垃圾未清")):
    moment = now - timedelta(days=days)
    data = ReportInput(
        category_code="E0102", description=text, region_code=grid.code, address="建设路 12 号"
    )
    case = services.report(worker, data, now=moment)
    case = services.act(case.pk, dispatcher, ActionInput("register", case.version), now=moment)
    given = ActionInput("dispatch", case.version, lead_department_id=unit.pk)
    services.act(case.pk, dispatcher, given, now=moment)
print(services.sweep())
"""


sign_in = demo_sign_in


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name, full_page=True)


def run_on_site(code: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run Python in the served demo's database (the `site_url` fixture's folder)."""
    folders = sorted(tmp_path_factory.getbasetemp().glob("site*"), key=os.path.getmtime)
    env = {**os.environ, "WANGGE_DATA_DIR": str(folders[-1])}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = separate_postgresql_database(os.environ["DATABASE_URL"], "_browser")
    command = [sys.executable, "-m", "wangge", "shell", "-c", code]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_district_administrator_adds_a_holiday_and_sees_next_year_provisional(page, site_url):  # type: ignore[no-untyped-def]
    sign_in(page, site_url, "districtadmin")

    page.goto(site_url + "/cases/admin/calendar/?year=2026")
    assert page.get_by_role("heading", name="2026 年工作日历").is_visible()
    holidays = page.locator("section", has_text="工作日放假")
    assert holidays.get_by_text("国庆节").first.is_visible()
    page.get_by_label("日期", exact=True).fill("2026-12-31")
    page.get_by_label("日期类型").select_option("holiday")
    page.get_by_label("名称（可不填）").fill("跨年调整")
    page.get_by_role("button", name="保存").first.click()

    assert page.get_by_text("工作日历已修改。").is_visible()
    assert holidays.get_by_role("cell", name="跨年调整").is_visible()
    page.get_by_role("textbox", name="工作时间").fill("18:00-08:00")
    page.locator("section", has_text="工作时间").get_by_role("button", name="保存").click()
    assert page.get_by_text("每个时段的开始须先于结束").is_visible()  # nothing saved
    page.goto(site_url + "/cases/admin/calendar/?year=2026")
    shot(page, "cases-calendar.png")

    page.goto(site_url + "/cases/admin/calendar/?year=2027")
    assert page.get_by_text("临时安排。").is_visible()
    assert page.get_by_role("button", name="确认 2027 年安排已核对").is_visible()
    shot(page, "cases-calendar-2027.png")


def test_a_handler_reads_the_notifications_of_the_unit_and_marks_one_read(  # type: ignore[no-untyped-def]
    page, site_url, tmp_path_factory
):
    inbox = site_url + "/cases/notifications/"
    sign_in(page, site_url, "handler")
    page.goto(inbox)
    total, unread = counts(page)
    run_on_site(CASES_DISPATCHED, tmp_path_factory)

    page.goto(inbox)
    assert counts(page) == (total + 5, unread + 5)  # three assignments, two red supervisions
    red = page.locator("ul.inbox li.unread", has_text="红牌督办").filter(
        has_text="路边倾倒建筑垃圾"
    )
    assert red.count() == 1
    red.get_by_role("button", name="标为已读").click()

    assert counts(page) == (total + 5, unread + 4)
    assert page.locator("ul.inbox li.unread", has_text="路边倾倒建筑垃圾").count() == 1  # assigned
    shot(page, "cases-notifications.png")


def counts(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(all, unread) from the inbox's summary line."""
    text = page.get_by_text(re.compile(r"共 \d+ 条，\d+ 条未读")).inner_text()
    found = re.search(r"共 (\d+) 条，(\d+) 条未读", text)
    assert found is not None
    return int(found[1]), int(found[2])
