"""The demo's cases are made through the services: real timelines, work in every queue."""

import pytest

from wangge.cases.models import Case, CaseEvent, DailyRollup
from wangge.demo.cases import demo_cases_load


@pytest.mark.django_db
def test_demo_cases_have_timelines_and_reach_several_stages() -> None:
    before = Case.objects.count()
    assert demo_cases_load(count=16) == 16
    cases = Case.objects.order_by("-id")[:16]
    statuses = {case.status for case in cases}
    assert {"reported", "registered", "closed"} <= statuses
    for case in cases:
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
        assert actions[0] == "report"
    reported = sum(DailyRollup.objects.values_list("reported", flat=True))
    assert reported >= Case.objects.count() - before


@pytest.mark.django_db
def test_demo_disputes_go_through_the_mediation_services() -> None:
    from wangge.demo.disputes import demo_disputes_load
    from wangge.mediation.models import Agreement, Dispute

    assert demo_disputes_load() == 3
    assert Dispute.objects.count() == 3
    assert Agreement.objects.count() == 1
    assert Dispute.objects.filter(outcome="no_agreement", case__status="fed_back").count() == 1
