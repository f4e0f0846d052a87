from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from wangge.cases.workflow import (
    HOTLINE,
    URBAN_MANAGEMENT,
    Action,
    ActionSpec,
    CaseFacts,
    Relation,
    Role,
    Status,
    SupervisionLevel,
    TaskFacts,
    Transition,
    Workflow,
    WorkflowError,
    available_actions,
    build_workflow,
    next_status,
)

NOW = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)

# Personas: how each stands to the one case under test.
REPORTER = Relation(reporter=True)
DISPATCHER = Relation(dispatcher=True)
LEAD_HANDLER = Relation(lead_handler=True)
ASSISTING_HANDLER = Relation(assisting_handler=True)
VERIFIER = Relation(verifier=True)
LEADER = Relation(leader=True)
ADMINISTRATOR = Relation(administrator=True)
SYSTEM = Relation(system=True)
OUTSIDER = Relation()


def facts(status: str | None, **changes: object) -> CaseFacts:
    return replace(CaseFacts(status=status, now=NOW), **changes)  # type: ignore[arg-type]


def refused(
    action: str,
    relation: Relation,
    case: CaseFacts,
    reason: str = "a reason",
    workflow: Workflow = URBAN_MANAGEMENT,
) -> str:
    """The error code of an action that must be refused."""
    with pytest.raises(WorkflowError) as error:
        next_status(workflow, action, relation=relation, facts=case, reason=reason)
    return error.value.code


def codes(relation: Relation, case: CaseFacts, workflow: Workflow = URBAN_MANAGEMENT) -> set[str]:
    return {spec.code for spec in available_actions(workflow, relation=relation, facts=case)}


# --- the seven steps ---------------------------------------------------------------------


def test_a_case_goes_through_the_seven_steps_by_the_right_people() -> None:
    steps = [
        (Action.REPORT, REPORTER, Status.REPORTED),
        (Action.REGISTER, DISPATCHER, Status.REGISTERED),
        (Action.DISPATCH, DISPATCHER, Status.DISPATCHED),
        (Action.ACCEPT, LEAD_HANDLER, Status.HANDLING),
        (Action.FEED_BACK, LEAD_HANDLER, Status.FED_BACK),
        (Action.VERIFY, VERIFIER, Status.CLOSED),
        (Action.RATE, REPORTER, Status.CLOSED),
    ]
    status: str | None = None
    for action, relation, expected in steps:
        status = next_status(
            URBAN_MANAGEMENT, action, relation=relation, facts=facts(status), reason="done"
        )
        assert status == expected, action


def test_an_invalid_report_is_cancelled_with_a_reason() -> None:
    case = facts(Status.REPORTED)
    assert refused(Action.CANCEL, DISPATCHER, case, reason="  ") == "reason_required"
    assert (
        next_status(URBAN_MANAGEMENT, Action.CANCEL, relation=DISPATCHER, facts=case, reason="dup")
        == Status.CANCELLED
    )


def test_a_cancelled_case_offers_nothing_but_taking_it_off_the_leaders_list() -> None:
    assert codes(DISPATCHER, facts(Status.CANCELLED)) == set()
    assert codes(LEADER, facts(Status.CANCELLED, listed=True)) == {Action.DELIST}


def test_an_action_in_the_wrong_stage_is_refused_as_not_possible_now() -> None:
    assert refused(Action.VERIFY, VERIFIER, facts(Status.HANDLING)) == "not_allowed_now"


def test_an_action_by_someone_without_that_part_in_the_case_is_refused() -> None:
    assert refused(Action.DISPATCH, LEAD_HANDLER, facts(Status.REGISTERED)) == "not_your_action"
    assert refused(Action.DISPATCH, OUTSIDER, facts(Status.REGISTERED)) == "not_your_action"


def test_an_unknown_action_is_refused() -> None:
    assert refused("teleport", DISPATCHER, facts(Status.REGISTERED)) == "unknown_action"


def test_a_refusal_carries_a_machine_code_and_a_human_message() -> None:
    with pytest.raises(WorkflowError) as error:
        next_status(
            URBAN_MANAGEMENT, Action.VERIFY, relation=VERIFIER, facts=facts(Status.HANDLING)
        )
    assert error.value.code == "not_allowed_now"
    with translation.override("en"):
        assert str(error.value.message) == "This action is not possible at this stage."
    with translation.override("zh-hans"):
        assert str(error.value.message) == "当前环节不能进行此操作。"


# --- verification ------------------------------------------------------------------------


def test_the_handler_of_a_task_can_never_verify_the_case() -> None:
    handler_and_verifier = Relation(lead_handler=True, verifier=True)
    assisting_and_verifier = Relation(assisting_handler=True, verifier=True)
    case = facts(Status.FED_BACK)
    assert refused(Action.VERIFY, handler_and_verifier, case) == "handler_cannot_verify"
    assert refused(Action.VERIFY, assisting_and_verifier, case) == "handler_cannot_verify"
    assert refused(Action.REWORK, handler_and_verifier, case) == "handler_cannot_verify"
    assert Action.VERIFY not in codes(handler_and_verifier, case)
    assert Action.VERIFY in codes(VERIFIER, case)


def test_a_failed_verification_sends_the_case_back_for_rework_with_a_reason() -> None:
    case = facts(Status.FED_BACK)
    assert refused(Action.REWORK, VERIFIER, case, reason="") == "reason_required"
    assert (
        next_status(URBAN_MANAGEMENT, Action.REWORK, relation=VERIFIER, facts=case, reason="dirty")
        == Status.HANDLING
    )


# --- send back ---------------------------------------------------------------------------


def test_the_lead_unit_sends_a_case_back_within_its_limit_and_the_dispatcher_redispatches() -> None:
    case = facts(Status.DISPATCHED, task=TaskFacts(send_back_until=NOW + timedelta(hours=1)))
    assert refused(Action.SEND_BACK, LEAD_HANDLER, case, reason="") == "reason_required"
    sent_back = next_status(
        URBAN_MANAGEMENT, Action.SEND_BACK, relation=LEAD_HANDLER, facts=case, reason="not ours"
    )
    assert sent_back == Status.SENT_BACK
    assert Action.DISPATCH in codes(DISPATCHER, facts(sent_back))


def test_the_lead_unit_cannot_send_a_case_back_after_its_limit() -> None:
    case = facts(Status.HANDLING, task=TaskFacts(send_back_until=NOW - timedelta(minutes=1)))
    assert refused(Action.SEND_BACK, LEAD_HANDLER, case) == "send_back_too_late"
    assert Action.SEND_BACK not in codes(LEAD_HANDLER, case)


def test_an_assisting_unit_declines_without_changing_the_case_status() -> None:
    case = facts(Status.HANDLING, task=TaskFacts(send_back_until=NOW + timedelta(hours=1)))
    after = next_status(
        URBAN_MANAGEMENT,
        Action.DECLINE_ASSISTANCE,
        relation=ASSISTING_HANDLER,
        facts=case,
        reason="not ours",
    )
    assert after == Status.HANDLING
    assert refused(Action.SEND_BACK, ASSISTING_HANDLER, case) == "not_your_action"


# --- extensions --------------------------------------------------------------------------


def test_a_handler_requests_one_extension_and_the_dispatcher_decides_it() -> None:
    fresh = facts(Status.HANDLING, task=TaskFacts())
    pending = facts(Status.HANDLING, task=TaskFacts(extension_pending=True))
    assert Action.REQUEST_EXTENSION in codes(LEAD_HANDLER, fresh)
    assert Action.REQUEST_EXTENSION in codes(ASSISTING_HANDLER, fresh)
    assert refused(Action.APPROVE_EXTENSION, DISPATCHER, fresh) == "no_extension_pending"
    assert refused(Action.REQUEST_EXTENSION, LEAD_HANDLER, pending) == "extension_pending"
    assert {Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION} <= codes(DISPATCHER, pending)
    assert refused(Action.REFUSE_EXTENSION, DISPATCHER, pending, reason="") == "reason_required"


def test_a_second_extension_needs_an_administrator_to_allow_it() -> None:
    used = facts(Status.HANDLING, task=TaskFacts(extensions_used=1))
    allowed_more = facts(Status.HANDLING, task=TaskFacts(extensions_used=1, extensions_allowed=2))
    assert refused(Action.REQUEST_EXTENSION, LEAD_HANDLER, used) == "extension_limit_reached"
    assert Action.ALLOW_ANOTHER_EXTENSION in codes(ADMINISTRATOR, used)
    assert refused(Action.ALLOW_ANOTHER_EXTENSION, DISPATCHER, used) == "not_your_action"
    assert refused(Action.ALLOW_ANOTHER_EXTENSION, ADMINISTRATOR, allowed_more) == "extensions_left"
    assert Action.REQUEST_EXTENSION in codes(LEAD_HANDLER, allowed_more)


# --- suspension and reopening ------------------------------------------------------------


def test_suspension_and_resumption_need_a_reason_and_return_to_handling() -> None:
    handling = facts(Status.HANDLING)
    assert refused(Action.SUSPEND, DISPATCHER, handling, reason="") == "reason_required"
    suspended = next_status(
        URBAN_MANAGEMENT, Action.SUSPEND, relation=DISPATCHER, facts=handling, reason="court"
    )
    assert suspended == Status.SUSPENDED
    resumed = next_status(
        URBAN_MANAGEMENT,
        Action.RESUME,
        relation=DISPATCHER,
        facts=facts(suspended),
        reason="ruling",
    )
    assert resumed == Status.HANDLING


def test_the_reporter_or_the_verifier_reopens_a_case_within_seven_days_of_closing() -> None:
    recent = facts(Status.CLOSED, closed_at=NOW - timedelta(days=7))
    old = facts(Status.CLOSED, closed_at=NOW - timedelta(days=7, seconds=1))
    for relation in (REPORTER, VERIFIER):
        assert (
            next_status(
                URBAN_MANAGEMENT, Action.REOPEN, relation=relation, facts=recent, reason="x"
            )
            == Status.REGISTERED
        )
        assert refused(Action.REOPEN, relation, old) == "reopen_too_late"
    assert refused(Action.REOPEN, LEAD_HANDLER, recent) == "not_your_action"


def test_a_case_is_rated_once() -> None:
    assert refused(Action.RATE, REPORTER, facts(Status.CLOSED, rated=True)) == "already_rated"
    assert Action.RATE in codes(REPORTER, facts(Status.CLOSED))


# --- supervision and listing -------------------------------------------------------------


def test_a_leader_raises_supervision_from_yellow_to_red_but_not_twice() -> None:
    none = facts(Status.HANDLING)
    yellow = facts(Status.HANDLING, supervision=SupervisionLevel.YELLOW)
    red = facts(Status.HANDLING, supervision=SupervisionLevel.RED)
    assert next_status(
        URBAN_MANAGEMENT, Action.SUPERVISE_YELLOW, relation=LEADER, facts=none, reason="slow"
    ) == (Status.HANDLING)
    assert refused(Action.SUPERVISE_YELLOW, LEADER, yellow) == "already_supervised"
    assert Action.SUPERVISE_RED in codes(LEADER, yellow)
    assert refused(Action.SUPERVISE_RED, LEADER, red) == "already_supervised"
    assert refused(Action.CANCEL_SUPERVISION, LEADER, none) == "not_supervised"


def test_the_system_raises_supervision_but_only_a_leader_cancels_it() -> None:
    yellow = facts(Status.HANDLING, supervision=SupervisionLevel.YELLOW)
    assert Action.SUPERVISE_RED in codes(SYSTEM, yellow)
    assert refused(Action.CANCEL_SUPERVISION, SYSTEM, yellow) == "not_your_action"
    assert refused(Action.SUPERVISE_RED, DISPATCHER, yellow) == "not_your_action"


def test_a_listed_case_stays_listed_until_it_is_closed() -> None:
    handling_listed = facts(Status.HANDLING, listed=True)
    assert Action.LIST in codes(LEADER, facts(Status.HANDLING))
    assert refused(Action.LIST, LEADER, handling_listed) == "already_listed"
    assert refused(Action.DELIST, LEADER, handling_listed) == "not_allowed_now"
    assert Action.DELIST in codes(LEADER, facts(Status.CLOSED, listed=True))
    assert refused(Action.DELIST, LEADER, facts(Status.CLOSED)) == "not_listed"


# --- the buttons -------------------------------------------------------------------------


def test_the_lead_handler_sees_exactly_the_buttons_for_a_new_dispatch() -> None:
    case = facts(Status.DISPATCHED, task=TaskFacts(send_back_until=NOW + timedelta(hours=2)))
    assert codes(LEAD_HANDLER, case) == {
        Action.ACCEPT,
        Action.SEND_BACK,
        Action.REQUEST_EXTENSION,
        Action.COMMENT,
    }


def test_an_outsider_sees_no_buttons_in_any_status() -> None:
    for status in URBAN_MANAGEMENT.statuses:
        assert codes(OUTSIDER, facts(status)) == set()


def test_each_button_says_whether_it_needs_a_reason() -> None:
    buttons = available_actions(URBAN_MANAGEMENT, relation=DISPATCHER, facts=facts(Status.REPORTED))
    needs_reason = {spec.code: spec.needs_reason for spec in buttons}
    assert needs_reason == {Action.REGISTER: False, Action.CANCEL: True, Action.COMMENT: True}


# --- the table itself --------------------------------------------------------------------


def reachable(workflow: Workflow) -> set[str]:
    seen: set[str] = set()
    frontier: list[str | None] = [None]
    while frontier:
        source = frontier.pop()
        for row in workflow.transitions.values():
            if row.source == source and row.target and row.target not in seen:
                seen.add(row.target)
                frontier.append(row.target)
    return seen


@pytest.mark.parametrize("workflow", [URBAN_MANAGEMENT, HOTLINE], ids=lambda w: w.name)
def test_every_status_can_be_reached_from_a_new_report(workflow: Workflow) -> None:
    assert reachable(workflow) == set(workflow.statuses)


@pytest.mark.parametrize("workflow", [URBAN_MANAGEMENT, HOTLINE], ids=lambda w: w.name)
def test_every_status_but_cancelled_has_a_way_on(workflow: Workflow) -> None:
    with_exits = {row.source for row in workflow.transitions.values() if row.target}
    assert set(workflow.statuses) - with_exits == {Status.CANCELLED}


def test_every_action_has_a_translatable_label() -> None:
    for spec in URBAN_MANAGEMENT.actions.values():
        assert str(spec.label)


def test_a_table_with_an_unknown_guard_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="unknown guards"):
        build_workflow(
            "broken",
            statuses={Status.REPORTED: "Reported"},
            actions=[ActionSpec(Action.REPORT, "Report")],
            rows=[Transition(None, Action.REPORT, Status.REPORTED, frozenset(Role), ("magic",))],
        )


# --- kinds extend the table with rows -----------------------------------------------------


def test_the_hotline_operator_answers_a_call_directly_and_records_the_callers_rating() -> None:
    registered = facts(Status.REGISTERED)
    assert (
        next_status(
            HOTLINE, Action.ANSWER_DIRECTLY, relation=DISPATCHER, facts=registered, reason="x"
        )
        == Status.CLOSED
    )
    assert Action.RATE in codes(DISPATCHER, facts(Status.CLOSED), workflow=HOTLINE)
    assert Action.RATE not in codes(DISPATCHER, facts(Status.CLOSED))
    assert refused(Action.ANSWER_DIRECTLY, DISPATCHER, registered) == "not_allowed_now"


def test_a_kind_adds_a_step_by_adding_rows_not_code() -> None:
    # A petition (信访工作条例 art. 22-23) is accepted by a notice before it is dispatched.
    petition = URBAN_MANAGEMENT.extended(
        "petition",
        statuses={"accepted": "Accepted"},
        actions=[ActionSpec("notify_acceptance", "Send the acceptance notice")],
        rows=[
            Transition(
                Status.REGISTERED, "notify_acceptance", "accepted", frozenset({Role.DISPATCHER})
            ),
            Transition(
                "accepted", Action.DISPATCH, Status.DISPATCHED, frozenset({Role.DISPATCHER})
            ),
            Transition("accepted", Action.LIST, None, frozenset({Role.LEADER}), ("not_listed",)),
        ],
        removed=[(Status.REGISTERED, Action.DISPATCH)],
        reopen_days=30,
    )
    registered = facts(Status.REGISTERED)
    assert refused(Action.DISPATCH, DISPATCHER, registered, workflow=petition) == "not_allowed_now"
    accepted = next_status(petition, "notify_acceptance", relation=DISPATCHER, facts=registered)
    assert accepted == "accepted"
    assert codes(DISPATCHER, facts(accepted), workflow=petition) == {Action.DISPATCH}
    assert Action.DISPATCH in codes(DISPATCHER, registered)  # the base table is untouched
    assert petition.reopen_days == 30
