"""Case statistics: the indicators on known cases, the rollups against a direct count of the
cases, scope, permission, bad input and the spreadsheet.

The known cases live in September 2025, a month no demo data reaches: five cases in grid A
(township 620502001) and one reported in a township far away.
"""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from conftest import GRID_A, OUTSIDE_GRID, TOWNSHIP
from wangge.audit.models import AuditEntry
from wangge.cases import charts, services, stats
from wangge.cases.models import Case
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY, point_in
from wangge.cases.workflow import Action

ZONE = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2025, 9, 1), datetime.date(2025, 9, 30)
SEPTEMBER = {"period": "month", "on": "2025-09-15"}
URL = "/cases/statistics/"


def at(day: int, hour: int, month: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, tzinfo=ZONE)


def reported(actor, region: str, when: datetime.datetime) -> Case:  # type: ignore[no-untyped-def]
    lon, lat = point_in(region)
    data = ReportInput(category_code=URBAN_CATEGORY, description="路边垃圾", lon=lon, lat=lat)
    return services.report(actor, data, now=when)


def step(case, actor, action, when, **given):  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    return services.act(case.pk, actor, ActionInput(action, case.version, **given), now=when)


def dispatched(worker, dispatcher, handler, day: int) -> Case:  # type: ignore[no-untyped-def]
    case = reported(worker, GRID_A, at(day, 9))
    step(case, dispatcher, Action.REGISTER, at(day, 9) + datetime.timedelta(minutes=10))
    step(case, dispatcher, Action.DISPATCH, at(day, 9) + datetime.timedelta(minutes=20))
    return step(case, handler, Action.ACCEPT, at(day, 9) + datetime.timedelta(minutes=30))


@pytest.fixture
def september(grid_worker_a, dispatcher, urban_handler, outsider):  # type: ignore[no-untyped-def]
    """A: closed on time, satisfied. B: closed late, not satisfied. C: extended, reworked,
    closed on time. D: fell due in September, still open. E: reported on the 30th, not yet
    due. F: reported in another township."""
    worker, handler = grid_worker_a, urban_handler
    a = dispatched(worker, dispatcher, handler, 8)
    step(a, handler, Action.FEED_BACK, at(8, 11), reason="已清理")
    step(a, worker, Action.VERIFY, at(8, 12))
    step(a, worker, Action.RATE, at(8, 13), rating=5)

    b = dispatched(worker, dispatcher, handler, 9)
    late = b.due_at + datetime.timedelta(hours=1)
    step(b, handler, Action.FEED_BACK, late, reason="已清理")
    step(b, worker, Action.VERIFY, late + datetime.timedelta(hours=1))
    step(b, worker, Action.RATE, late + datetime.timedelta(hours=2), rating=2)

    c = dispatched(worker, dispatcher, handler, 10)
    step(c, handler, Action.REQUEST_EXTENSION, at(10, 11), reason="协调", extension_days=2)
    step(c, dispatcher, Action.APPROVE_EXTENSION, at(10, 12))
    step(c, handler, Action.FEED_BACK, at(10, 14), reason="已清理")
    step(c, worker, Action.REWORK, at(10, 15), reason="仍有垃圾")
    step(c, handler, Action.FEED_BACK, at(10, 16), reason="已彻底清理")
    step(c, worker, Action.VERIFY, at(10, 17))

    d = dispatched(worker, dispatcher, handler, 11)
    e = reported(worker, GRID_A, at(30, 23))
    step(e, dispatcher, Action.REGISTER, at(30, 23) + datetime.timedelta(minutes=10))
    reported(outsider, OUTSIDE_GRID, at(12, 9))
    names = zip("abcde", [a, b, c, d, e], strict=True)
    cases = {name: Case.objects.get(pk=case.pk) for name, case in names}
    # The facts the expected figures rest on.
    assert START <= cases["b"].closed_at.astimezone(ZONE).date() <= END
    assert cases["b"].on_time is False and cases["a"].on_time and cases["c"].on_time
    assert START <= cases["d"].due_at.astimezone(ZONE).date() <= END
    assert cases["e"].due_at is None or cases["e"].due_at >= at(1, 0, month=10)
    return cases


EXPECTED = {
    "reported": 5,
    "registered": 5,
    "dispatched": 4,
    "closed": 3,
    "due": 4,
    "closed_on_time": 2,
    "reworked": 1,
    "extended": 1,
    "rated": 2,
    "satisfied": 1,
}


def township_table(grouping: str = "region") -> stats.Table:
    return stats.table_for(stats.Filters(START, END, TOWNSHIP), grouping)


@pytest.mark.django_db
def test_the_counts_of_a_township_are_those_of_its_cases(september):  # type: ignore[no-untyped-def]
    counts = township_table().total.counts

    assert {name: counts.value(name) for name in stats.FIGURES} == EXPECTED


@pytest.mark.django_db
def test_the_rates_follow_the_formulas(september):  # type: ignore[no-untyped-def]
    counts = township_table().total.counts

    assert counts.closure_rate == Decimal("0.75")  # 3 closed / 4 due
    assert counts.on_time_rate == Decimal("0.5")  # 2 on time / 4 due
    assert counts.rework_rate == Decimal("0.25")  # 1 rework / 4 dispatched
    assert counts.extension_rate == Decimal("0.25")
    assert counts.satisfaction_rate == Decimal("0.5")
    assert counts.composite == Decimal("60.00")  # 0.5×60 + 0.75×30 + (1 − 0.25)×10


def test_rates_without_a_denominator_are_none_not_zero():
    counts = stats.Counts(reported=3)

    assert counts.closure_rate is None and counts.satisfaction_rate is None
    assert counts.composite is None
    assert charts.percent(counts.closure_rate) == "—"


def test_periods_are_whole_months_quarters_and_years():
    day = datetime.date(2024, 2, 10)

    assert stats.month_of(day) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert stats.quarter_of(day) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert stats.quarter_of(datetime.date(2024, 11, 30))[1] == datetime.date(2024, 12, 31)
    assert stats.year_of(day) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert stats.period_shifted("month", datetime.date(2024, 1, 1), -1) == datetime.date(
        2023, 12, 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("grouping", ["region", "department", "category"])
def test_every_figure_equals_a_direct_count_of_the_cases_behind_it(september, grouping):  # type: ignore[no-untyped-def]
    table = township_table(grouping)
    assert table.rows
    for row in [*table.rows, table.total]:
        for figure in stats.FIGURES:
            behind = stats.cases_behind(figure, row.filters)
            assert behind.count() == row.counts.value(figure), (row.key, figure)


@pytest.mark.django_db
def test_a_department_row_holds_the_unit_and_the_cases_before_dispatch(september, urban_unit):  # type: ignore[no-untyped-def]
    rows = {row.key: row for row in township_table("department").rows}

    unit = rows[str(urban_unit.pk)]
    assert unit.label == urban_unit.name
    assert (unit.counts.dispatched, unit.counts.closed, unit.counts.due) == (4, 3, 4)
    assert unit.counts.composite == Decimal("60.00")
    assert (rows["0"].counts.reported, rows["0"].counts.dispatched) == (5, 0)


@pytest.mark.django_db
def test_a_figure_links_to_the_case_list_with_its_filters(september):  # type: ignore[no-untyped-def]
    row = township_table("category").rows[0]

    assert row.key == "E01"
    assert row.link("closed") == (
        "/cases/?region=620502001&category=E01&from=2025-09-01&to=2025-09-30&figure=closed"
    )


@pytest.mark.django_db
def test_the_leader_sees_the_townships_of_the_district(client, leader, september):  # type: ignore[no-untyped-def]
    client.force_login(leader)

    response = client.get(URL, {**SEPTEMBER, "region": "620502"})

    assert response.status_code == 200
    rows = {cells["row"].key: cells["row"].counts for cells in response.context["rows"]}
    assert rows[TOWNSHIP].reported == 5
    assert rows[OUTSIDE_GRID[:9]].reported == 1
    assert response.context["table"].total.counts.reported == 6
    content = response.content.decode()
    assert "<svg" in content and "结案率" in content


@pytest.mark.django_db
def test_a_township_dispatcher_sees_only_its_township(client, dispatcher, september):  # type: ignore[no-untyped-def]
    client.force_login(dispatcher)

    response = client.get(URL, SEPTEMBER)

    assert response.status_code == 200
    table = response.context["table"]
    assert table.filters.region == TOWNSHIP
    assert table.total.counts.reported == 5
    assert all(row.key.startswith(TOWNSHIP) for row in table.rows)


@pytest.mark.django_db
@pytest.mark.parametrize("region", ["620502", "620502103", "620502103200"])
def test_a_region_outside_ones_reach_is_not_found(client, dispatcher, region):  # type: ignore[no-untyped-def]
    client.force_login(dispatcher)

    assert client.get(URL, {"region": region}).status_code == 404
    assert client.get(URL + "export.xlsx", {"region": region}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [URL, URL + "export.xlsx"])
def test_a_grid_worker_without_the_capability_is_refused(client, grid_worker_a, url):  # type: ignore[no-untyped-def]
    client.force_login(grid_worker_a)

    assert client.get(url, {"region": GRID_A[:12]}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "custom", "from": "2025-09-30", "to": "2025-09-01"}, "最后一天早于第一天"),
        ({"period": "custom", "from": "2025-13-01", "to": "2025-09-01"}, "日期"),
        ({"period": "custom", "from": "2025-09-01"}, "请填写第一天和最后一天"),
        ({"period": "custom", "from": "2020-01-01", "to": "2025-09-01"}, "最多两年"),
        ({"on": "yesterday"}, "日期"),
        ({"region": "999999"}, "没有这个代码的区域"),
        ({"region": GRID_A}, "村（社区）"),
        ({"group": "person"}, "选择一个有效的选项"),
        ({"period": "week"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_gets_a_clear_message(client, leader, query, message):  # type: ignore[no-untyped-def]
    client.force_login(leader)
    before = AuditEntry.objects.count()

    page = client.get(URL, query)
    export = client.get(URL + "export.xlsx", query)

    assert page.status_code == 400 and message in page.content.decode()
    assert export.status_code == 400 and message in export.content.decode()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_spreadsheet_has_the_numbers_of_the_page_and_is_audited(client, leader, september):  # type: ignore[no-untyped-def]
    client.force_login(leader)
    query = {**SEPTEMBER, "region": TOWNSHIP, "group": "department"}
    page = client.get(URL, query)

    response = client.get(URL + "export.xlsx", query)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[3]
    assert header[2] == "上报数" and "结案率" in header
    shown = page.context["rows"] + [page.context["total"]]
    assert len(values) == 4 + len(shown)
    for cells, line in zip(shown, values[4:], strict=True):
        assert list(line[2 : 2 + len(stats.FIGURES)]) == [value for value, _ in cells["counts"]]
        rate = line[2 + len(stats.FIGURES)]
        expected = cells["row"].counts.closure_rate
        assert rate == (None if expected is None else float(expected))
    total = values[-1]
    assert total[2 + list(stats.FIGURES).index("due")] == 4
    entry = AuditEntry.objects.filter(action="cases.statistics_export").latest("id")
    assert entry.details["region"] == TOWNSHIP and entry.details["from"] == "2025-09-01"


@pytest.mark.django_db
def test_an_empty_period_says_so(client, leader):  # type: ignore[no-untyped-def]
    client.force_login(leader)

    response = client.get(URL, {"period": "year", "on": "2001-06-01"})

    assert response.status_code == 200
    assert "本期没有案件" in response.content.decode()


@pytest.mark.django_db
def test_the_page_reads_a_fixed_number_of_queries(
    client, leader, september, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    client.force_login(leader)
    client.get(URL, SEPTEMBER)  # sessions and permissions cached

    with django_assert_max_num_queries(16):
        response = client.get(URL, {**SEPTEMBER, "region": "620502"})

    assert response.status_code == 200


def test_the_urls_have_their_names():
    assert reverse("cases:statistics") == URL
    assert reverse("cases:statistics_export") == URL + "export.xlsx"


@pytest.mark.browser
def test_the_leader_reads_the_statistics_on_a_phone(page, site_url):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from wangge.demo.services import DEMO_PASSWORD

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/accounts/login/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(site_url + URL)

    assert page.get_by_role("heading", name="案件统计").is_visible()
    table = page.locator("table.stats-table")
    assert table.is_visible()
    assert table.locator("thead th").filter(has_text="按期结案率").count() == 1
    assert table.locator("tfoot th").inner_text() == "合计"
    assert page.locator("svg.chart").first.is_visible()
    page.locator("#id_group").select_option("category")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(lambda url: "group=category" in url)
    assert table.locator("thead th").first.inner_text() == "案件大类"
    page.goto(site_url + URL)
    shots = Path("var/screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "cases-statistics.png", full_page=True)
