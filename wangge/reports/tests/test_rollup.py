"""Completeness and roll-up of a form for a period: the states, the counts, the names of the
units not in, the sums, in a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from wangge.regions.models import Region
from wangge.reports import periods, rollup
from wangge.reports.models import PeriodType, ReportForm, SensitivePeriod, Submission

WEEK = periods.Period(datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
TOWNSHIP = "620502001"
VILLAGES = [f"{TOWNSHIP}{n:03d}" for n in range(1, 7)]
FIELDS = [
    {"name": "found", "label": "排查数", "type": "number", "required": True},
    {"name": "handled", "label": "化解数", "type": "number", "required": True},
    {"name": "note", "label": "说明", "type": "text"},
    {
        "name": "items",
        "label": "重点事项",
        "type": "table",
        "columns": [
            {"name": "what", "label": "事项", "type": "text"},
            {"name": "people", "label": "涉及人数", "type": "number"},
        ],
    },
]


def weekly_form(author, code: str = "weekly-test") -> ReportForm:  # type: ignore[no-untyped-def]
    return ReportForm.objects.create(
        code=code,
        name="每周社会治安情况",
        period_type=PeriodType.WEEKLY,
        unit_levels=["village"],
        deadline_working_days=3,
        fields=FIELDS,
        created_by=author,
        created_at=timezone.now(),
    )


def submission(form, code, period=WEEK, **changes):  # type: ignore[no-untyped-def]
    data = {
        "form": form,
        "region_code": code,
        "period_start": period.start,
        "period_end": period.end,
        "due_at": periods.due_at(form, period),
        "state": "submitted",
        "submitted_at": timezone.now(),
    }
    data.update(changes)
    return Submission.objects.create(**data)


@pytest.fixture
def scenario(district_admin):  # type: ignore[no-untyped-def]
    """Township 620502001: one village submitted, one a zero report, one late, one returned,
    two nothing; one village of another township submitted too."""
    form = weekly_form(district_admin)
    submission(
        form,
        VILLAGES[0],
        values={"found": 5, "handled": 3, "note": "平稳", "items": [{"what": "甲", "people": 4}]},
    )
    submission(form, VILLAGES[1], zero=True, values={})
    submission(form, VILLAGES[2], late=True, values={"found": 2, "handled": 2, "items": []})
    submission(
        form, VILLAGES[3], state="returned", returned_reason="数字不对", values={"found": 99}
    )
    submission(
        form,
        "620502002001",
        state="approved",
        values={"found": 7, "handled": 1.5, "items": [{"people": 2}, {"people": "3"}]},
    )
    return form


def region(code: str) -> Region:
    return Region.objects.get(code=code)


AFTER_DUE = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def test_the_township_sees_each_village_in_its_state(scenario):
    table = rollup.completeness(scenario, WEEK, region(TOWNSHIP), AFTER_DUE)

    states = {row.code: row.state for row in table.rows}
    assert states == {
        VILLAGES[0]: "submitted",
        VILLAGES[1]: "zero",
        VILLAGES[2]: "submitted",
        VILLAGES[3]: "returned",
        VILLAGES[4]: "missing",
        VILLAGES[5]: "missing",
    }
    counts = table.total
    assert (counts.expected, counts.submitted, counts.zero, counts.returned) == (6, 2, 1, 1)
    assert (counts.missing, counts.on_time, counts.late, counts.overdue) == (2, 2, 1, 3)
    assert counts.reported == 3
    assert counts.share == 50


def test_the_units_not_in_are_named(scenario):
    table = rollup.completeness(scenario, WEEK, region(TOWNSHIP), AFTER_DUE)

    names = dict(Region.objects.filter(code__in=VILLAGES).values_list("code", "name"))
    assert [(unit.code, unit.name, unit.state) for unit in table.outstanding] == [
        (VILLAGES[3], names[VILLAGES[3]], "returned"),
        (VILLAGES[4], names[VILLAGES[4]], "missing"),
        (VILLAGES[5], names[VILLAGES[5]], "missing"),
    ]


def test_before_the_due_time_nothing_is_overdue(scenario):
    before = datetime.datetime(2026, 11, 23, 1, tzinfo=datetime.UTC)

    table = rollup.completeness(scenario, WEEK, region(TOWNSHIP), before)

    assert table.total.overdue == 0
    assert not table.past_due


def test_the_district_sees_townships_counting_their_villages(scenario):
    table = rollup.completeness(scenario, WEEK, region("620502"), AFTER_DUE)

    rows = {row.code: row for row in table.rows}
    assert len(rows) == 23
    township = rows[TOWNSHIP]
    assert township.unit is None
    assert township.name == region(TOWNSHIP).name
    assert (township.counts.expected, township.counts.reported) == (6, 3)
    assert len(township.outstanding) == 3
    assert rows["620502002"].counts.approved == 1
    assert table.total.expected == Region.objects.filter(level="village").count()
    assert table.total.reported == 4


def test_completeness_takes_a_few_queries_whatever_the_tree(
    scenario, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        rollup.completeness(scenario, WEEK, region("620502"), AFTER_DUE)


def test_a_daily_form_is_owed_only_where_a_sensitive_period_runs(district_admin):
    form = weekly_form(district_admin, "daily-test")
    form.period_type = PeriodType.DAILY
    form.save()
    day = periods.Period(datetime.date(2026, 11, 18), datetime.date(2026, 11, 18))
    SensitivePeriod.objects.create(
        name="重要节点",
        starts_on=datetime.date(2026, 11, 17),
        ends_on=datetime.date(2026, 11, 19),
        form=form,
        region_prefixes=[TOWNSHIP, "620502002001"],
        created_by=district_admin,
        created_at=timezone.now(),
    )

    owed = rollup.units_owed(form, day, "620502")

    every = periods.units_owing(form, within="620502")
    assert [u.code for u in owed] == [u.code for u in every if periods.owes(form, u.code, day)]
    assert len(owed) == 7


def test_the_units_owing_a_weekly_form_are_those_periods_says(scenario):
    owed = rollup.units_owed(scenario, WEEK, "620502")

    every = periods.units_owing(scenario, within="620502")
    assert [u.code for u in owed] == [u.code for u in every if periods.owes(scenario, u.code, WEEK)]
    assert sum(
        rollup.expected_by_row(rollup.owing_q(scenario, WEEK, "620502"), "620502").values()
    ) == len(owed)


def test_the_rollup_sums_equal_the_sums_of_the_reports_in(scenario):
    table = rollup.rollup(scenario, WEEK, region(TOWNSHIP))

    reports = Submission.objects.filter(
        form=scenario, region_code__startswith=TOWNSHIP, state__in=["submitted", "approved"]
    )
    found = sum(Decimal(str(s.values.get("found", 0))) for s in reports)
    people = sum(Decimal(str(i["people"])) for s in reports for i in s.values.get("items", []))
    assert table.total.value("found") == found == 7
    assert table.total.value("items.people") == people == 4
    assert (table.total.covered, table.total.expected, table.total.zero) == (3, 6, 1)


def test_a_zero_report_counts_as_zeros_and_a_missing_unit_as_nothing(scenario):
    table = rollup.rollup(scenario, WEEK, region(TOWNSHIP))

    rows = {row.code: row for row in table.rows}
    assert rows[VILLAGES[1]].value("found") == 0
    assert rows[VILLAGES[4]].value("found") is None
    assert rows[VILLAGES[3]].value("found") is None  # returned: not in
    assert rows[VILLAGES[0]].single


def test_the_district_rollup_subtotals_townships_and_totals_them(scenario):
    table = rollup.rollup(scenario, WEEK, region("620502"))

    rows = {row.code: row for row in table.rows}
    assert rows[TOWNSHIP].value("found") == 7
    assert rows[TOWNSHIP].value("handled") == 5
    assert rows["620502002"].value("handled") == Decimal("1.5")
    assert rows["620502002"].value("items.people") == 5
    assert rows["620502003"].value("found") is None
    assert table.total.value("found") == 14
    assert table.total.value("handled") == Decimal("6.5")
    assert table.total.covered == 4
    assert not rows[TOWNSHIP].single


def test_text_fields_are_not_summed(scenario):
    table = rollup.rollup(scenario, WEEK, region(TOWNSHIP))

    assert [c.key for c in table.summed] == ["found", "handled", "items.people"]
    assert "note" not in table.total.sums


def test_the_rollup_takes_a_few_queries_whatever_the_tree(scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        rollup.rollup(scenario, WEEK, region("620502"))


def test_the_unit_values_hold_each_units_report(scenario):
    units = {u.code: u for u in rollup.unit_values(scenario, WEEK, region(TOWNSHIP))}

    columns = {c.key: c for c in rollup.columns_of(scenario)}
    assert rollup.cell_of(columns["found"], units[VILLAGES[0]].values) == 5
    assert rollup.cell_of(columns["note"], units[VILLAGES[0]].values) == "平稳"
    assert rollup.cell_of(columns["items.people"], units[VILLAGES[0]].values) == 4
    assert units[VILLAGES[3]].values == {}
    assert units[VILLAGES[4]].state == "missing"
