"""Disputes through mediation: recording, sessions, the agreement, judicial confirmation,
transfers between bodies (三调联动), the outcome, the township's listing and closing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.cases import services as cases
from wangge.cases.models import Case, CaseEvent
from wangge.cases.workflow import Action, Status
from wangge.mediation import selectors, services
from wangge.mediation import services_agreement as agreements
from wangge.mediation import services_transfer as transfers
from wangge.mediation.models import Agreement, Dispute, JudicialConfirmation, Transfer
from wangge.mediation.tests.conftest import dispute_input

pytestmark = pytest.mark.django_db


def agreement_for(mediator, dispute, **changes):  # type: ignore[no-untyped-def]
    values = dict(
        facts="排水沟被堵，雨水倒灌张三院内。",
        terms="李四于三日内清理排水沟，并赔偿张三损失500元。",
        performance="现场清理；赔偿款当面付清。",
        amount_yuan=500,
        effective_on=timezone.localdate(),
    )
    values.update(changes)
    return agreements.make_agreement(mediator, dispute, **values)


def test_recording_takes_the_dispute_into_mediation_at_once(mediator, committee):
    dispute = services.record_dispute(mediator, dispute_input(committee))
    case = dispute.case
    assert case.kind == "dispute" and case.workflow == "mediation"
    assert case.status == Status.HANDLING
    assert case.lead_department_id == committee.department_id
    assert dispute.moj_category == "邻里"
    assert [p.name for p in dispute.parties.all()] == ["张三", "李四"]
    assert dispute.target_on == timezone.localtime(case.due_at).date()
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["report", "register", "dispatch", "accept"]
    assert set(case.events.values_list("actor_id", flat=True)) == {mediator.pk}


def test_bad_input_names_each_problem_and_saves_nothing(mediator, committee, court_body):
    before = (Case.objects.count(), Dispute.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.record_dispute(
            mediator,
            dispute_input(
                committee,
                category_code="E0102",
                grid_code="620502103200001",
                parties=[],
                people_involved=0,
            ),
        )
    assert {"category", "grid", "parties", "people_involved"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.record_dispute(mediator, dispute_input(committee, body_id=court_body.pk))
    assert "body" in caught.value.message_dict
    assert (Case.objects.count(), Dispute.objects.count()) == before


def test_two_sessions_then_an_agreement_then_the_township_lists_and_closes(
    mediator, dispute, township_leader
):
    today = timezone.localdate()
    for day in (today - timedelta(days=2), today):
        services.add_session(
            mediator,
            dispute,
            held_on=day,
            place="村委会调解室",
            attendees="张三、李四、调解员",
            summary="双方陈述，调解员释法说理。",
        )
    agreement = agreement_for(mediator, dispute)
    assert agreement.number and dispute.sessions.count() == 2
    dispute.refresh_from_db()
    transfers.list_as_major(
        township_leader,
        dispute,
        leader_id=township_leader.pk,
        unit_id=dispute.body.department_id,
        reason="涉及多户，易激化",
    )
    assert list(selectors.major_disputes(township_leader)) == [Dispute.objects.get(pk=dispute.pk)]
    dispute.refresh_from_db()
    services.record_outcome(mediator, dispute, outcome="agreement", version=dispute.version)
    case = Case.objects.get(pk=dispute.pk)
    assert case.status == Status.FED_BACK
    # The mediator cannot close their own mediation; the township leader can.
    assert Action.VERIFY not in cases.available(case, mediator)
    cases.act(case.pk, township_leader, cases.ActionInput(Action.VERIFY, case.version))
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.listed  # listed until taken off (销号)
    assert selectors.major_disputes(township_leader).count() == 1
    cases.act(case.pk, township_leader, cases.ActionInput(Action.DELIST, case.version))
    assert selectors.major_disputes(township_leader).count() == 0
    labels = [event.get_label() for event in CaseEvent.objects.filter(case=case)]
    assert labels.count("调解") + labels.count("Mediation session") == 2


def test_an_agreement_needs_two_parties_and_its_content(mediator, committee):
    from wangge.mediation.services import PartyInput

    lone = services.record_dispute(
        mediator, dispute_input(committee, parties=[PartyInput("applicant", name="王五")])
    )
    with pytest.raises(ValidationError) as caught:
        agreement_for(mediator, lone, terms="  ")
    assert {"parties", "terms"} <= set(caught.value.message_dict)
    assert not Agreement.objects.filter(dispute=lone).exists()


def test_judicial_confirmation_only_within_thirty_days(mediator, dispute):
    signed = timezone.localdate() - timedelta(days=40)
    agreement = agreement_for(mediator, dispute, effective_on=signed)
    dispute.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        agreements.apply_for_confirmation(
            mediator, dispute, applied_on=signed + timedelta(days=31), court="秦州区人民法院"
        )
    assert "30" in caught.value.message_dict["applied_on"][0]
    assert not JudicialConfirmation.objects.exists()
    agreements.apply_for_confirmation(
        mediator, dispute, applied_on=signed + timedelta(days=30), court="秦州区人民法院"
    )
    dispute.refresh_from_db()
    agreements.record_ruling(
        mediator,
        dispute,
        ruling="confirmed",
        ruled_on=signed + timedelta(days=35),
        ruling_number="(2026)甘0502民特1号",
    )
    agreement.refresh_from_db()
    assert agreement.confirmation.ruling == "confirmed"


def test_transfer_refused_then_accepted_moves_the_case(mediator, dispute, court_body, court_clerk):
    with pytest.raises(ValidationError) as caught:
        transfers.offer_transfer(mediator, dispute, to_body_id=999999, reason="涉及诉讼")
    assert "to_body" in caught.value.message_dict
    assert not Transfer.objects.exists()
    offered = transfers.offer_transfer(
        mediator, dispute, to_body_id=court_body.pk, reason="需司法调解"
    )
    assert selectors.transfers_waiting_for(court_clerk) == [offered]
    with pytest.raises(PermissionError):
        transfers.answer_transfer(mediator, offered, accept=True)
    with pytest.raises(ValidationError):
        transfers.answer_transfer(court_clerk, offered, accept=False, answer="")
    transfers.answer_transfer(court_clerk, offered, accept=False, answer="尚未穷尽人民调解")
    dispute.refresh_from_db()
    assert dispute.body_id != court_body.pk
    again = transfers.offer_transfer(mediator, dispute, to_body_id=court_body.pk, reason="再次")
    transfers.answer_transfer(court_clerk, again, accept=True)
    dispute.refresh_from_db()
    case = Case.objects.get(pk=dispute.pk)
    assert dispute.body_id == court_body.pk
    assert case.lead_department_id == court_body.department_id
    assert case.status == Status.HANDLING
    # The court's clerk now mediates; the village mediator no longer can.
    services.add_session(
        court_clerk,
        dispute,
        held_on=date.today(),
        place="法院",
        attendees="双方",
        summary="诉前调解",
    )
    with pytest.raises(PermissionError):
        services.add_session(
            mediator, dispute, held_on=date.today(), place="村", attendees="双方", summary="x"
        )


def test_no_agreement_must_say_where_the_parties_were_guided(mediator, dispute):
    with pytest.raises(ValidationError):
        services.record_outcome(mediator, dispute, outcome="no_agreement")
    services.record_outcome(mediator, dispute, outcome="no_agreement", route="court")
    dispute.refresh_from_db()
    assert dispute.outcome_route == "court" and dispute.case.status == Status.FED_BACK


def test_a_stale_version_is_a_conflict(mediator, dispute):
    from wangge.core.errors import EditConflict

    with pytest.raises(EditConflict):
        services.record_outcome(
            mediator, dispute, outcome="no_agreement", route="court", version=dispute.version - 1
        )
    assert Dispute.objects.get(pk=dispute.pk).outcome == ""


def test_an_outsider_mediator_cannot_touch_the_dispute(far_mediator, dispute):
    from wangge.mediation.access import visible_disputes

    assert not visible_disputes(far_mediator).filter(pk=dispute.pk).exists()
    with pytest.raises(PermissionError):
        services.add_session(
            far_mediator, dispute, held_on=date.today(), place="x", attendees="x", summary="x"
        )


def test_the_outcome_is_reported_only_on_the_dispute_page(client, mediator, dispute):
    """Feeding back a dispute records its outcome: the case page neither offers it nor takes
    it, so a dispute is never reported done without one."""
    from wangge.cases.workflow import WorkflowError

    case = Case.objects.get(pk=dispute.pk)
    assert Action.FEED_BACK not in {spec.code for spec in cases.available(case, mediator)}
    with pytest.raises(WorkflowError) as refused:
        cases.act(case.pk, mediator, cases.ActionInput(Action.FEED_BACK, case.version, reason="x"))
    assert refused.value.code == "on_its_record"
    client.force_login(mediator)
    response = client.post(
        f"/cases/{case.pk}/act/", {"action": "feed_back", "version": case.version, "reason": "x"}
    )
    assert response.status_code >= 400
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING
