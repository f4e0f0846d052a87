"""The leaders' dashboard: its figures against direct counts, its scope (a township leader
sees only the township), its permission and its number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GRID_A, OUTSIDE_GRID, TOWNSHIP, make_persona
from wangge.cases.models import Case, DailyRollup
from wangge.cases.workflow import SupervisionLevel
from wangge.regions.models import Region
from wangge.reports import dashboard
from wangge.reports.models import Submission
from wangge.reports.periods import due_at
from wangge.reports.tests.test_warnings_data import open_case, weekly_form
from wangge.reports.warnings import due_periods

pytestmark = pytest.mark.django_db
URL = "/reports/dashboard/"


@pytest.fixture
def township_leader(db):  # type: ignore[no-untyped-def]
    return make_persona("t_township_leader", "leader", region=TOWNSHIP)


@pytest.fixture
def cases(grid_worker_a, outsider):  # type: ignore[no-untyped-def]
    """In township 620502001: 2 overdue (one of them red), 1 open yellow and listed, 1 not
    overdue; in township 620502103: 1 overdue."""
    made = [
        open_case(grid_worker_a, overdue=True),
        open_case(grid_worker_a, overdue=True, supervision=SupervisionLevel.RED),
        open_case(grid_worker_a, overdue=False, supervision=SupervisionLevel.YELLOW, listed=True),
        open_case(grid_worker_a, overdue=False),
        open_case(outsider, overdue=True, grid=OUTSIDE_GRID),
    ]
    return made


def figure(page: str, township: str, name: str) -> int:
    row = re.search(rf'<tr data-township="{township}">(.*?)</tr>', page, re.S)
    assert row, f"no row {township}"
    cell = re.search(rf'data-figure="{name}">(?:<a href="[^"]*">)?(\d+)', row.group(1))
    assert cell, f"no figure {name}"
    return int(cell.group(1))


def test_the_figures_match_direct_counts(leader, cases):
    board = dashboard.dashboard_of(leader)
    rows = {row.code: row for row in board.rows}
    now = timezone.now()
    for township in (TOWNSHIP, OUTSIDE_GRID[:9]):
        mine = Case.objects.filter(region_code__startswith=township)
        open_ = mine.exclude(status__in=["reported", "closed", "cancelled"])
        assert rows[township].open == open_.count()
        assert rows[township].overdue == open_.filter(due_at__lt=now).count()
        assert rows[township].supervised == open_.filter(supervision__gte=100).count()
        assert rows[township].listed == mine.filter(listed=True).count()
    assert (rows[TOWNSHIP].open, rows[TOWNSHIP].overdue, rows[TOWNSHIP].supervised) == (4, 2, 2)
    assert (board.total.open, board.total.overdue, board.total.listed) == (5, 3, 1)
    townships = Region.objects.filter(level="township", code__startswith="620502").count()
    assert len(board.rows) == townships


def test_a_township_leader_sees_only_the_township(client, township_leader, cases):
    client.force_login(township_leader)
    page = client.get(URL).content.decode()
    assert re.findall(r'<tr data-township="(\d+)">', page) == [TOWNSHIP]
    assert figure(page, TOWNSHIP, "overdue") == 2
    assert figure(page, "total", "overdue") == 2  # the other township's case is not counted


def test_each_case_figure_links_to_its_list(client, township_leader, cases):
    client.force_login(township_leader)
    page = client.get(URL).content.decode()
    link = re.search(
        rf'<tr data-township="{TOWNSHIP}">.*?data-figure="overdue"><a href="([^"]+)"', page, re.S
    )
    assert link
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    shown = {int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', listed)}
    assert shown == {case.pk for case in cases[:2]}


def test_completeness_counts_submitted_zero_and_missing(township_leader, district_admin):
    form = weekly_form(district_admin)
    period = due_periods(form, timezone.now(), 1)[0]
    for unit, zero in (("620502001001", False), ("620502001002", True)):
        Submission.objects.create(
            form=form,
            region_code=unit,
            period_start=period.start,
            period_end=period.end,
            due_at=due_at(form, period),
            state="submitted",
            zero=zero,
            submitted_at=timezone.now(),
        )
    villages = Region.objects.filter(level="village", code__startswith=TOWNSHIP).count()

    board = dashboard.dashboard_of(township_leader)

    [figures] = board.forms
    assert (figures.period, figures.expected) == (period, villages)
    assert (figures.submitted, figures.zero, figures.missing) == (1, 1, villages - 2)
    assert board.rows[0].missing_reports == villages - 2


def test_the_trend_sums_the_daily_rollups(township_leader):
    today = timezone.localdate()
    DailyRollup.objects.create(
        day=today, region_code=GRID_A[:12], category_code="D0201", reported=3
    )
    DailyRollup.objects.create(
        day=today - datetime.timedelta(days=2),
        region_code=TOWNSHIP,
        category_code="E0101",
        closed=2,
    )
    DailyRollup.objects.create(
        day=today, region_code=OUTSIDE_GRID[:12], category_code="D0201", reported=7
    )
    DailyRollup.objects.create(
        day=today - datetime.timedelta(days=31),
        region_code=TOWNSHIP,
        category_code="E0101",
        reported=9,
    )

    board = dashboard.dashboard_of(township_leader)

    assert len(board.trend) == 30 and board.trend[-1] == (today, 3, 0)
    assert board.trend_totals == (3, 2)
    assert "<svg" in board.chart


def test_the_page_takes_a_bounded_number_of_queries(
    client, leader, district_admin, cases, django_assert_max_num_queries
):
    weekly_form(district_admin)
    weekly_form(district_admin, code="weekly-other")
    client.force_login(leader)
    with django_assert_max_num_queries(25):
        response = client.get(URL)
    assert response.status_code == 200


def test_people_without_the_permission_are_refused(client, grid_worker_a):
    client.force_login(grid_worker_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_the_dashboard_answers_only_get(client, leader):
    client.force_login(leader)
    assert client.post(URL).status_code == 405
    assert reverse("reports:dashboard") == URL


def test_an_auditor_with_case_statistics_may_view_it(client, auditor):
    client.force_login(auditor)
    assert client.get(URL).status_code == 200


def test_the_open_figure_links_to_the_open_cases_of_the_township(client, township_leader, cases):
    client.force_login(township_leader)
    page = client.get(URL).content.decode()
    link = re.search(
        rf'<tr data-township="{TOWNSHIP}">.*?data-figure="open"><a href="([^"]+)"', page, re.S
    )
    assert link and "status=open" in link.group(1)
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    shown = {int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', listed)}
    assert shown == {case.pk for case in cases[:4]}
