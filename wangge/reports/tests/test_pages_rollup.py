"""The completeness and roll-up pages and the spreadsheet: what the township and the district
see, who may see it (403, 404), and the answers to bad input (400, nothing recorded)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wangge.audit.models import AuditEntry
from wangge.regions.models import Region
from wangge.reports.tests.test_rollup import TOWNSHIP, VILLAGES, WEEK, scenario  # noqa: F401

PERIOD = WEEK.start.isoformat()
NAMES = ("completeness", "rollup", "rollup_xlsx")


def url(name: str, **query: str) -> str:
    from urllib.parse import urlencode

    return reverse(f"reports:{name}") + "?" + urlencode(query)


def names_of(*codes: str) -> list[str]:
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [found[code] for code in codes]


def test_the_township_sees_who_reported_and_who_did_not(client, dispatcher, scenario):  # noqa: F811
    client.force_login(dispatcher)

    response = client.get(url("completeness", form=scenario.code, period=PERIOD))

    assert response.status_code == 200
    page = response.content.decode()
    table = response.context["table"]
    assert table.parent.code == TOWNSHIP
    assert (table.total.submitted, table.total.zero, table.total.missing) == (2, 1, 2)
    assert '<dd data-count="missing">2</dd>' in page
    assert '<dd data-count="zero">1</dd>' in page
    for code in VILLAGES[3:]:
        assert f'data-outstanding="{code}"' in page
    for name in names_of(*VILLAGES[3:]):
        assert name in page
    assert 'class="units-map"' in page
    assert page.count("<path ") == 6


def test_the_district_drills_down_from_townships(client, leader, scenario):  # noqa: F811
    client.force_login(leader)

    response = client.get(url("completeness", form=scenario.code, period=PERIOD))

    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 23
    drill = url("completeness", parent=TOWNSHIP, form=scenario.code, period=PERIOD)
    assert drill.replace("&", "&amp;") in page
    assert f'data-drill="{TOWNSHIP}"' in page


def test_the_district_sees_the_rollup_with_township_subtotals(client, leader, scenario):  # noqa: F811
    client.force_login(leader)

    response = client.get(url("rollup", form=scenario.code, period=PERIOD))

    assert response.status_code == 200
    rows = {row.code: values for row, values, _link in response.context["rows"]}
    assert rows[TOWNSHIP] == [7, 5, 4]
    assert response.context["totals"] == [14, 6.5, 9]
    page = response.content.decode()
    assert "3 of 6 units" in page or "3 / 6" in page or "6 个单位中的 3 个" in page
    assert f'data-drill="{TOWNSHIP}"' in page


def test_the_pages_take_a_bounded_number_of_queries(
    client,
    leader,
    scenario,  # noqa: F811
    django_assert_max_num_queries,
):
    client.force_login(leader)
    for name in ("completeness", "rollup"):
        with django_assert_max_num_queries(20):
            response = client.get(url(name, form=scenario.code, period=PERIOD))
        assert response.status_code == 200


def test_without_a_form_the_page_offers_the_forms(client, dispatcher, scenario):  # noqa: F811
    client.force_login(dispatcher)

    response = client.get(url("completeness"))

    assert response.status_code == 200
    assert f'value="{scenario.code}"' in response.content.decode()
    assert "table" not in response.context


def test_the_spreadsheet_has_the_forms_layout_with_subtotals(client, leader, scenario):  # noqa: F811
    client.force_login(leader)

    response = client.get(url("rollup_xlsx", form=scenario.code, period=PERIOD))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == scenario.name
    assert rows[1][1:3] == [WEEK.start.isoformat(), WEEK.end.isoformat()]
    header = rows[4]
    assert header[3:] == ["排查数", "化解数", "说明", "重点事项 · 涉及人数"]
    by_code = {row[1]: row for row in rows[5:]}
    assert by_code[VILLAGES[0]][3:7] == [5, 3, "平稳", 4]
    subtotals = [row for row in rows if str(row[0]).startswith(("小计", "Subtotal"))]
    assert len(subtotals) == 23
    township = next(row for row in subtotals if row[1] == TOWNSHIP)
    assert township[3:5] == [7, 5] and township[6] == 4
    assert rows[-1][1] == "620502" and rows[-1][3] == 14 and rows[-1][4] == 6.5
    entry = AuditEntry.objects.filter(action="reports.rollup_export").get()
    assert entry.actor == leader


@pytest.mark.parametrize("name", NAMES)
def test_a_unit_out_of_reach_is_not_found(client, dispatcher, scenario, name):  # noqa: F811
    client.force_login(dispatcher)

    response = client.get(url(name, parent="620502103", form=scenario.code, period=PERIOD))

    assert response.status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_unit_is_not_found(client, leader, name):
    client.force_login(leader)

    assert client.get(url(name, parent="999999999")).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_someone_without_the_permission_is_refused(staff_client, name):
    assert staff_client.get(url(name, parent=TOWNSHIP)).status_code == 403


BAD = [
    ({"form": "no-such-form", "period": PERIOD}, "no-such-form"),
    ({"period": "2026-13-45"}, "2026-13-45"),
    ({"period": "2026-11-18"}, "2026-11-16"),
]


@pytest.mark.parametrize(("query", "said"), BAD, ids=["form", "day", "not-a-start"])
@pytest.mark.parametrize("name", NAMES)
def test_bad_input_is_answered_clearly_and_nothing_is_recorded(
    client,
    leader,
    scenario,  # noqa: F811
    name,
    query,
    said,
):
    client.force_login(leader)
    given = {"form": scenario.code, **query}

    response = client.get(url(name, **given))

    assert response.status_code == 400
    assert said in response.content.decode()
    assert not AuditEntry.objects.filter(action="reports.rollup_export").exists()
