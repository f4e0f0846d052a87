"""Early-warning rules over generated data: each fires above its threshold only, once per
place and period, is told to the unit and its parent, and links to the records behind it."""

import datetime
import re

import pytest

from conftest import GRID_A, OUTSIDE_GRID, TOWNSHIP, make_persona
from wangge.accounts.models import Membership
from wangge.cases.models import Case, Notification
from wangge.reports import warnings
from wangge.reports.models import EarlyWarning, RuleKind, Submission, WarningRule
from wangge.reports.periods import Period, due_at
from wangge.reports.tests.test_warnings_data import (
    NOW,
    VILLAGE,
    ZONE,
    open_case,
    rule,
    surge_rule,
    weekly_form,
    weeks_of_disputes,
)

pytestmark = pytest.mark.django_db


def listed_case_ids(client, link: str) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(link)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', response.content.decode())}


# --- dispute surge --------------------------------------------------------------------------


def test_an_early_warning_rule_fires_on_generated_data_and_links_to_its_cases(
    grid_worker_a, dispatcher, client
):
    surge_rule(k=2, at_least=3)
    made = weeks_of_disputes(grid_worker_a, [5, 1, 1, 1, 1, 1, 1, 1, 1])

    raised = warnings.warnings_raise(now=NOW)

    assert len(raised) == 1
    warning = raised[0]
    assert (warning.region_code, warning.value, warning.threshold) == (VILLAGE, 5, 3)
    assert warning.period_start == datetime.date(2026, 11, 16)
    assert "5" in warning.summary
    client.force_login(dispatcher)
    assert listed_case_ids(client, warning.link) == {case.pk for case in made[0]}


def test_no_surge_warning_at_or_below_k_times_the_median(grid_worker_a):
    surge_rule(k=2, at_least=3)
    weeks_of_disputes(grid_worker_a, [4, 2, 2, 2, 2, 2, 2, 2, 2])

    assert warnings.warnings_raise(now=NOW) == []


def test_with_a_median_of_zero_only_at_least_applies(grid_worker_a):
    surge_rule(k=2, at_least=3)
    weeks_of_disputes(grid_worker_a, [2])
    assert warnings.warnings_raise(now=NOW) == []

    weeks_of_disputes(grid_worker_a, [1])
    assert [w.value for w in warnings.warnings_raise(now=NOW)] == [3]


def test_cancelled_disputes_do_not_count(grid_worker_a):
    surge_rule(k=2, at_least=3)
    this_week = weeks_of_disputes(grid_worker_a, [3])[0]
    Case.objects.filter(pk=this_week[0].pk).update(status="cancelled")

    assert warnings.warnings_raise(now=NOW) == []


def test_disputes_reported_after_the_moment_of_the_run_do_not_count(grid_worker_a):
    surge_rule(k=2, at_least=3)
    weeks_of_disputes(grid_worker_a, [3])  # Monday 09:00, 10:00 and 11:00
    monday_ten = NOW - datetime.timedelta(days=NOW.weekday())

    assert warnings.warnings_raise(now=monday_ten) == []
    assert len(warnings.warnings_raise(now=NOW)) == 1


def test_the_surge_is_counted_per_village_in_one_query(
    grid_worker_a, django_assert_max_num_queries
):
    weeks_of_disputes(grid_worker_a, [3, 1, 1])
    weeks_of_disputes(grid_worker_a, [4], grid="620502001002001")

    with django_assert_max_num_queries(2):  # the counts, the villages' names
        found = warnings.dispute_surge({"k": 2, "at_least": 3}, NOW)

    assert sorted((f.region_code, f.value) for f in found) == [
        ("620502001001", 3),
        ("620502001002", 4),
    ]


def test_a_warning_is_raised_once_per_place_and_period(grid_worker_a):
    surge_rule()
    weeks_of_disputes(grid_worker_a, [5])

    assert len(warnings.warnings_raise(now=NOW)) == 1
    assert warnings.warnings_raise(now=NOW + datetime.timedelta(hours=1)) == []
    assert EarlyWarning.objects.count() == 1


def test_a_warning_is_told_to_the_unit_and_its_parent_only(grid_worker_a, dispatcher, leader):
    village_leader = make_persona("t_village_leader", "leader", region=VILLAGE)
    far_dispatcher = make_persona("t_far_dispatcher", "dispatcher", region=OUTSIDE_GRID[:9])
    surge_rule()
    weeks_of_disputes(grid_worker_a, [5])

    warnings.warnings_raise(now=NOW)

    told = set(Notification.objects.filter(kind="early_warning").values_list("user", flat=True))
    assert {dispatcher.pk, village_leader.pk} <= told
    assert far_dispatcher.pk not in told and leader.pk not in told
    posts = Membership.objects.filter(user__in=told).values_list("region_id", flat=True)
    assert set(posts) <= {VILLAGE, TOWNSHIP}  # the demo's own township posts are told too


def test_an_inactive_rule_raises_nothing(grid_worker_a):
    WarningRule.objects.filter(pk=surge_rule().pk).update(active=False)
    weeks_of_disputes(grid_worker_a, [5])

    assert warnings.warnings_raise(now=NOW) == []


# --- overdue share --------------------------------------------------------------------------


def test_a_category_overdue_share_above_the_threshold_fires_and_links_to_the_overdue_cases(
    grid_worker_a, dispatcher, client
):
    rule(RuleKind.OVERDUE_SHARE, threshold=0.3, min_open=5)
    overdue = [open_case(grid_worker_a, overdue=True) for _ in range(2)]
    for _ in range(3):
        open_case(grid_worker_a, overdue=False)

    raised = warnings.warnings_raise()

    assert [(w.region_code, w.category_code, w.value) for w in raised] == [(TOWNSHIP, "D02", 0.4)]
    client.force_login(dispatcher)
    assert listed_case_ids(client, raised[0].link) == {case.pk for case in overdue}


def test_no_overdue_warning_at_the_threshold_or_with_few_open_cases(grid_worker_a):
    rule(RuleKind.OVERDUE_SHARE, threshold=0.4, min_open=5)
    for overdue in (True, True, False, False, False):
        open_case(grid_worker_a, overdue=overdue)
    assert warnings.warnings_raise() == []  # 2 of 5 is not above 40 %

    WarningRule.objects.update(params={"threshold": 0.1, "min_open": 6})
    assert warnings.warnings_raise() == []  # only 5 open


# --- missing reports ------------------------------------------------------------------------


def test_a_unit_missing_two_due_reports_in_a_row_is_warned_of(district_admin):
    form = weekly_form(district_admin)
    rule(RuleKind.MISSING_REPORTS, periods=2)
    # NOW is a Wednesday: last week is due on Wednesday evening, so it does not count yet;
    # the two weeks before it are the two owed periods.
    week = [Period(datetime.date(2026, 11, 2), datetime.date(2026, 11, 8))]
    week.append(Period(datetime.date(2026, 10, 26), datetime.date(2026, 11, 1)))
    assert (
        due_at(form, week[0])
        <= NOW
        < due_at(form, Period(datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)))
    )

    def submitted(unit: str, period: Period, **changes) -> None:  # type: ignore[no-untyped-def]
        values = dict(state="submitted", zero=False, submitted_at=NOW)
        values.update(changes)
        Submission.objects.create(
            form=form,
            region_code=unit,
            period_start=period.start,
            period_end=period.end,
            due_at=due_at(form, period),
            **values,
        )

    submitted("620502001002", week[1])  # reported the earlier of the two
    submitted("620502001003", week[0], zero=True)  # a zero report is a report
    submitted("620502001004", week[0], state="draft")  # a draft is not
    submitted("620502001005", Period(datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)))

    raised = {w.region_code: w for w in warnings.warnings_raise(now=NOW)}

    assert {"620502001001", "620502001004", "620502001005"} <= set(raised)
    assert "620502001002" not in raised and "620502001003" not in raised
    warning = raised["620502001001"]
    assert (warning.period_start, warning.category_code) == (week[0].start, f"form-{form.pk}")
    assert all(len(code) == 12 for code in raised)  # villages only, never a person


def test_a_unit_is_not_warned_before_it_owed_two_due_periods(district_admin):
    form = weekly_form(district_admin)
    first = datetime.datetime(2026, 11, 4, 10, 0, tzinfo=ZONE)  # only one week due then
    assert len(warnings.due_periods(form, first, 2)) == 2
    rule(RuleKind.MISSING_REPORTS, periods=2)
    Submission.objects.create(
        form=form,
        region_code=VILLAGE,
        period_start=datetime.date(2026, 10, 26),
        period_end=datetime.date(2026, 11, 1),
        due_at=NOW,
        state="approved",
        submitted_at=NOW,
    )
    raised = {w.region_code for w in warnings.warnings_raise(now=NOW)}
    assert VILLAGE not in raised


# --- defaults -------------------------------------------------------------------------------


def test_default_rules_are_created_once():
    assert len(warnings.default_rules()) == 3
    assert warnings.default_rules() == []
    assert set(WarningRule.objects.values_list("kind", flat=True)) == set(RuleKind.values)


def test_the_command_raises_the_warnings(grid_worker_a):
    from io import StringIO

    from django.core.management import call_command

    weeks_of_disputes(grid_worker_a, [6])  # reported this week, before now
    out = StringIO()
    call_command("reports_warn", "--default-rules", stdout=out)
    assert "new early warnings" in out.getvalue()
    assert WarningRule.objects.count() == 3
    assert GRID_A  # the grid of the generated disputes


def test_no_unit_missed_a_period_that_ended_before_the_form_existed(district_admin):  # type: ignore[no-untyped-def]
    form = weekly_form(district_admin, code="weekly-new")
    form.created_at = NOW
    form.save()
    rule(RuleKind.MISSING_REPORTS, periods=2)
    assert [
        w for w in warnings.warnings_raise(now=NOW) if w.category_code == f"form-{form.pk}"
    ] == []
