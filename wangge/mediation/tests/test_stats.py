"""The monthly people's-mediation statistics: the figures against the records they count, the
page, the spreadsheet, and who may see which region."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import GRID_A, make_persona
from wangge.audit.models import AuditEntry
from wangge.cases.categories_seed import MOJ_CATEGORIES
from wangge.cases.models import Case
from wangge.cases.workflow import Status
from wangge.mediation import stats
from wangge.mediation.models import Dispute
from wangge.mediation.tests.test_agreement_doc import agreement_made, dispute_made
from wangge.regions.models import Level, Region

ZONE = ZoneInfo("Asia/Shanghai")
DISTRICT, TOWNSHIP, VILLAGE = "620502", "620502001", "620502001001"
FAR_TOWNSHIP = "620502103"


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


def grid_outside(village_or_township: str, *, not_under: str) -> str:
    return (
        Region.objects.filter(code__startswith=village_or_township, level="grid")
        .exclude(code__startswith=not_under)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def concluded(dispute: Dispute, outcome: str, moment: datetime.datetime, **marks: bool) -> None:
    Dispute.objects.filter(pk=dispute.pk).update(outcome=outcome, outcome_at=moment, **marks)


@pytest.fixture
def reporter(db):  # type: ignore[no-untyped-def]
    return make_persona("t_district_dispatcher", "dispatcher", region=DISTRICT)


@pytest.fixture
def records(reporter):  # type: ignore[no-untyped-def]
    """May 2026 in three places: village A (GRID_A), another village of the same township,
    and a far township; with disputes just outside the month and a cancelled one."""
    other_village = grid_outside(TOWNSHIP, not_under=VILLAGE)
    far = grid_outside(FAR_TOWNSHIP, not_under="-")
    made = {
        "settled": dispute_made(reporter, reported_at=at(2026, 5, 3, 9)),
        "failed": dispute_made(reporter, grid=other_village, reported_at=at(2026, 5, 10, 9)),
        "open": dispute_made(reporter, grid=far, reported_at=at(2026, 5, 15, 9)),
        "april": dispute_made(reporter, reported_at=at(2026, 4, 28, 9), category="D0101"),
        "last_night": dispute_made(reporter, reported_at=at(2026, 5, 31, 23, 30)),
        "june": dispute_made(reporter, reported_at=at(2026, 6, 1, 0, 10)),
        "cancelled": dispute_made(reporter, reported_at=at(2026, 5, 5, 9)),
    }
    concluded(made["settled"], "agreement", at(2026, 5, 20, 10), prevented_criminal=True)
    agreement_made(made["settled"], effective_on=datetime.date(2026, 5, 20), amount_fen=500_050)
    concluded(made["failed"], "no_agreement", at(2026, 5, 25, 10), prevented_group_petition=True)
    concluded(made["april"], "agreement", at(2026, 5, 2, 10))
    agreement_made(made["april"], effective_on=datetime.date(2026, 5, 2), amount_fen=100_000)
    concluded(made["june"], "agreement", at(2026, 6, 2, 10))
    agreement_made(made["june"], effective_on=datetime.date(2026, 6, 2), amount_fen=7_000)
    Case.objects.filter(pk=made["cancelled"].pk).update(status=Status.CANCELLED)
    return made


def counted(prefix: str) -> dict[str, object]:
    """The figures of May 2026 under `prefix`, counted one record at a time."""
    disputes = [
        dispute
        for dispute in Dispute.objects.select_related("case")
        if dispute.case.region_code.startswith(prefix) and dispute.case.status != Status.CANCELLED
    ]

    def month_of(moment):  # type: ignore[no-untyped-def]
        return None if moment is None else timezone.localtime(moment, ZONE).strftime("%Y-%m")

    done = [d for d in disputes if month_of(d.outcome_at) == "2026-05"]
    successes = sum(1 for d in done if d.outcome == "agreement")
    failures = sum(1 for d in done if d.outcome == "no_agreement")
    amounts = [
        d.agreement.amount_fen
        for d in disputes
        if hasattr(d, "agreement") and d.agreement.effective_on.strftime("%Y-%m") == "2026-05"
    ]
    return {
        "accepted": sum(1 for d in disputes if month_of(d.case.reported_at) == "2026-05"),
        "succeeded": successes,
        "failed": failures,
        "amount_fen": sum(amounts),
        "prevented_criminal": sum(1 for d in done if d.prevented_criminal),
        "prevented_group_petition": sum(1 for d in done if d.prevented_group_petition),
    }


def as_dict(figures: stats.Figures) -> dict[str, object]:
    return {name: getattr(figures, name) for name in counted("x")}


# --- the figures ---------------------------------------------------------------------------


def test_the_district_table_has_a_row_per_township_equal_to_the_records(records):
    table = stats.monthly_table(DISTRICT, 2026, 5)

    townships = Region.objects.filter(parent_id=DISTRICT).count()
    assert len(table.rows) == townships
    rows = {row.key: row.figures for row in table.rows}
    assert as_dict(rows[TOWNSHIP]) == counted(TOWNSHIP)
    assert as_dict(rows[FAR_TOWNSHIP]) == counted(FAR_TOWNSHIP)
    assert as_dict(table.total.figures) == counted(DISTRICT)
    assert rows[FAR_TOWNSHIP].accepted >= 1


def test_the_fixture_figures_written_out(records):
    """Without other disputes in the database, the township's May is exactly this."""
    others = Dispute.objects.exclude(pk__in=[d.pk for d in records.values()])
    if others.filter(case__region_code__startswith=TOWNSHIP).exists():
        pytest.skip("the database holds other disputes in the township")

    figures = {row.key: row for row in stats.monthly_table(DISTRICT, 2026, 5).rows}[TOWNSHIP]

    assert figures.figures.accepted == 3  # settled, failed, last night (not April, June, cancelled)
    assert figures.figures.succeeded == 2  # settled, and April's concluded in May
    assert figures.figures.failed == 1
    assert figures.figures.success_rate == Decimal("0.6667")
    assert figures.figures.amount == Decimal("6000.50")
    assert figures.figures.prevented_criminal == 1
    assert figures.figures.prevented_group_petition == 1


def test_a_township_splits_into_its_villages(records):
    table = stats.monthly_table(TOWNSHIP, 2026, 5)

    rows = {row.key: row.figures for row in table.rows}
    assert set(rows) == set(
        Region.objects.filter(parent_id=TOWNSHIP).values_list("code", flat=True)
    )
    assert as_dict(rows[VILLAGE]) == counted(VILLAGE)
    assert as_dict(table.total.figures) == counted(TOWNSHIP)
    assert table.level_label == str(Level.VILLAGE.label)


def test_the_category_table_has_the_fifteen_categories_and_the_same_total(records):
    table = stats.monthly_table(DISTRICT, 2026, 5)

    assert [row.label for row in table.categories] == list(MOJ_CATEGORIES)
    by_name = {row.key: row.figures for row in table.categories}
    assert by_name["婚姻家庭"].succeeded == counted_category("婚姻家庭")
    summed = stats.Figures()
    for row in table.categories:
        summed.add(row.figures)
    assert summed == table.total.figures


def counted_category(name: str) -> int:
    return sum(
        1
        for d in Dispute.objects.select_related("case").filter(moj_category=name)
        if d.outcome == "agreement" and in_may_local(d.outcome_at)
    )


def in_may_local(moment: datetime.datetime | None) -> bool:
    return moment is not None and timezone.localtime(moment, ZONE).strftime("%Y-%m") == "2026-05"


def test_a_month_without_disputes_is_empty_and_has_no_success_rate(records):
    table = stats.monthly_table(DISTRICT, 2001, 1)

    assert table.empty
    assert table.total.figures.success_rate is None
    assert stats.monthly_table(DISTRICT, 2026, 5).total.figures.success_rate is not None


def test_a_village_has_no_rows_but_a_total(records):
    table = stats.monthly_table(VILLAGE, 2026, 5)

    assert table.rows == []
    assert as_dict(table.total.figures) == counted(VILLAGE)


def test_the_tables_take_a_fixed_number_of_queries(records, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        stats.monthly_table(DISTRICT, 2026, 5)


# --- the page and the spreadsheet ---------------------------------------------------------


@pytest.fixture
def township_leader(db):  # type: ignore[no-untyped-def]
    return make_persona("t_township_leader", "leader", region=TOWNSHIP)


def test_the_page_shows_both_tables_with_the_figures(client, records, township_leader):
    client.force_login(township_leader)

    response = client.get(reverse("mediation:statistics"), {"region": TOWNSHIP, "month": "2026-05"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="by-region"' in html and 'id="by-category"' in html
    table = response.context["table"]
    assert as_dict(table.total.figures) == counted(TOWNSHIP)
    assert "人民调解工作统计月报表" in html and "合计" in html


def test_the_spreadsheet_holds_the_same_figures_and_is_audited(client, records, township_leader):
    client.force_login(township_leader)

    response = client.get(
        reverse("mediation:statistics_xlsx"), {"region": TOWNSHIP, "month": "2026-05"}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "人民调解工作统计月报表"
    assert cells[1][0].endswith(Region.objects.get(code=TOWNSHIP).name)
    assert cells[2][0] == "统计期间：2026年05月"
    assert cells[3][1] == "受理纠纷数（件）" and cells[4][5] == "防止民转刑（件）"
    village = Region.objects.get(code=VILLAGE).name
    row = next(line for line in cells if line[0] == village)
    expected = counted(VILLAGE)
    assert row[1:3] == [expected["accepted"], expected["succeeded"]]
    assert row[4] == pytest.approx(expected["amount_fen"] / 100)  # type: ignore[operator]
    total = next(line for line in cells if line[0] == "合计")
    assert total[1] == counted(TOWNSHIP)["accepted"]
    assert "婚姻家庭" in [line[0] for line in cells]
    entry = AuditEntry.objects.get(action="mediation.statistics_export")
    assert entry.details == {"region": TOWNSHIP, "month": "2026-05"}


@pytest.mark.parametrize("month", ["2026-13", "2026-5", "May", "1999-12"])
@pytest.mark.parametrize("name", ["mediation:statistics", "mediation:statistics_xlsx"])
def test_a_bad_month_gets_a_clear_message_and_nothing_else(client, township_leader, name, month):
    client.force_login(township_leader)

    response = client.get(reverse(name), {"region": TOWNSHIP, "month": month})

    assert response.status_code == 400
    assert "请按“年-月”填写月份" in response.content.decode()
    assert not AuditEntry.objects.filter(action="mediation.statistics_export").exists()


def test_an_unknown_region_is_a_clear_message(client, township_leader):
    client.force_login(township_leader)

    response = client.get(
        reverse("mediation:statistics"), {"region": "62050199", "month": "2026-05"}
    )

    assert response.status_code == 400
    assert "有效的选项" in response.content.decode()
    assert "table" not in response.context


@pytest.mark.parametrize("name", ["mediation:statistics", "mediation:statistics_xlsx"])
def test_a_region_outside_ones_posts_is_404(client, township_leader, name):
    client.force_login(township_leader)

    response = client.get(reverse(name), {"region": FAR_TOWNSHIP, "month": "2026-05"})

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="mediation.statistics_export").exists()


@pytest.mark.parametrize("name", ["mediation:statistics", "mediation:statistics_xlsx"])
def test_a_user_without_the_capability_gets_403(client, grid_worker_a, name):
    client.force_login(grid_worker_a)

    response = client.get(reverse(name), {"region": GRID_A[:12], "month": "2026-05"})

    assert response.status_code == 403


def test_without_a_query_the_page_shows_this_month_of_ones_own_region(client, township_leader):
    client.force_login(township_leader)

    response = client.get(reverse("mediation:statistics"))

    assert response.status_code == 200
    table = response.context["table"]
    today = timezone.localdate()
    assert (table.region_code, table.year, table.month) == (TOWNSHIP, today.year, today.month)


@pytest.mark.parametrize("name", ["mediation:statistics", "mediation:statistics_xlsx"])
def test_the_route_coverage_entries_answer_404(client, dispatcher, outsider, name):
    from wangge.mediation.tests.outsider_urls_stats import OUTSIDER_URLS

    persona, url_for = OUTSIDER_URLS[name]
    assert persona == "dispatcher"
    client.force_login(dispatcher)

    assert client.get(url_for(outsider)).status_code == 404
