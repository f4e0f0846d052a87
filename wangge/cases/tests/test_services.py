"""The case services end to end on the database: one case through every step, send back,
rework, extension, suspension, concurrency and bad input."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import GRID_A
from wangge.cases import services
from wangge.cases.models import Case, CaseEvent, Notification, TaskStatus
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY
from wangge.cases.workflow import Action, Status, SupervisionLevel, WorkflowError


def reported(worker, point, **changes):  # type: ignore[no-untyped-def]
    data = ReportInput(
        category_code=URBAN_CATEGORY, description="路边垃圾堆积", lon=point[0], lat=point[1]
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return services.report(worker, data)


def step(case, actor, action, **given):  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    return services.act(case.pk, actor, ActionInput(action, case.version, **given))


@pytest.mark.django_db
def test_a_case_goes_through_every_step(  # type: ignore[no-untyped-def]
    grid_worker_a, grid_worker_b, dispatcher, urban_handler, housing_handler, leader, grid_point
):
    case = reported(grid_worker_a, grid_point)
    assert case.number.startswith(f"620502-{datetime.date.today().year}-")
    assert case.region_code == GRID_A and case.status == Status.REPORTED
    step(case, dispatcher, Action.REGISTER)
    case = step(case, dispatcher, Action.DISPATCH)
    assert case.lead_department.code == "urban-management"  # by the category's department kind
    assert case.status == Status.DISPATCHED and case.due_at is not None
    assert Notification.objects.filter(user=urban_handler, case=case, kind="assigned").exists()
    # The unit says it is not theirs; the dispatcher sends it to housing instead.
    case = step(case, urban_handler, Action.SEND_BACK, reason="不属于本单位")
    assert case.status == Status.SENT_BACK
    housing = housing_handler.memberships.get().department
    case = step(case, dispatcher, Action.DISPATCH, lead_department_id=housing.pk)
    case = step(case, housing_handler, Action.ACCEPT)
    assert case.status == Status.HANDLING
    due = case.due_at
    case = step(
        case, housing_handler, Action.REQUEST_EXTENSION, reason="需要协调", extension_days=2
    )
    with pytest.raises(WorkflowError) as refused:
        step(case, housing_handler, Action.REQUEST_EXTENSION, reason="再要", extension_days=2)
    assert refused.value.code == "extension_pending"
    case = step(case, dispatcher, Action.APPROVE_EXTENSION)
    assert case.due_at > due and case.extension_count == 1
    case = step(case, housing_handler, Action.FEED_BACK, reason="已清理")
    assert case.status == Status.FED_BACK
    with pytest.raises(WorkflowError):  # the handler can never verify
        step(case, housing_handler, Action.VERIFY)
    case = step(case, grid_worker_a, Action.REWORK, reason="仍有垃圾")
    assert case.status == Status.HANDLING and case.rework_count == 1
    case = step(case, housing_handler, Action.FEED_BACK, reason="已彻底清理")
    case = step(case, grid_worker_a, Action.VERIFY)
    assert case.status == Status.CLOSED and case.on_time is True
    case = step(case, grid_worker_a, Action.RATE, rating=5)
    assert case.satisfied is True
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "report",
        "register",
        "dispatch",
        "send_back",
        "dispatch",
        "accept",
        "request_extension",
        "approve_extension",
        "feed_back",
        "rework",
        "feed_back",
        "verify",
        "rate",
    ]
    assert [task.status for task in case.tasks.order_by("id")] == [
        TaskStatus.SENT_BACK,
        TaskStatus.DONE,
    ]


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_naming_what_changed(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, grid_point
):
    case = reported(grid_worker_a, grid_point)
    services.act(case.pk, dispatcher, ActionInput(Action.REGISTER, case.version))
    with pytest.raises(services.CaseConflict) as conflict:
        services.act(case.pk, dispatcher, ActionInput(Action.REGISTER, case.version))
    assert [event.action for event in conflict.value.events] == ["register"]
    assert CaseEvent.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_bad_reports_write_nothing(grid_worker_a, grid_point):  # type: ignore[no-untyped-def]
    before = Case.objects.count()
    cases = [
        {"category_code": "X99"},
        {"category_code": "E01"},  # a class, not a leaf
        {"lon": None, "lat": None},
        {"lon": 116.4, "lat": 39.9},  # Beijing
        {"description": "x" * 4001},
        {"description": "  "},
        {"lon": float("nan")},
    ]
    for changes in cases:
        with pytest.raises(ValidationError):
            reported(grid_worker_a, grid_point, **changes)
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_not_your_action_and_forged_task(  # type: ignore[no-untyped-def]
    grid_worker_a, grid_worker_b, dispatcher, urban_handler, grid_point
):
    case = reported(grid_worker_a, grid_point)
    with pytest.raises(WorkflowError) as refused:
        step(case, grid_worker_a, Action.REGISTER)
    assert refused.value.code == "not_your_action"
    step(case, dispatcher, Action.REGISTER)
    step(case, dispatcher, Action.DISPATCH)
    with pytest.raises(WorkflowError) as forged:
        step(case, urban_handler, Action.ACCEPT, task_id=999999)
    assert forged.value.code == "unknown_task"
    assert case.events.count() == 3


@pytest.mark.django_db
def test_supervision_sweep_raises_yellow_then_red(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, grid_point
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    case = step(case, dispatcher, Action.DISPATCH)
    assert services.sweep(case.yellow_at + datetime.timedelta(minutes=1)) == 1
    case.refresh_from_db()
    assert case.supervision == SupervisionLevel.YELLOW
    assert services.sweep(case.red_at + datetime.timedelta(minutes=1)) == 1
    case.refresh_from_db()
    assert case.supervision == SupervisionLevel.RED
    assert services.sweep(case.red_at + datetime.timedelta(minutes=2)) == 0


@pytest.mark.django_db
def test_suspension_moves_the_due_moment(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, grid_point
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    step(case, dispatcher, Action.DISPATCH)
    case = step(case, urban_handler, Action.ACCEPT)
    due = case.due_at
    start = case.dispatched_at + datetime.timedelta(days=1)
    case.refresh_from_db()
    services.act(
        case.pk, dispatcher, ActionInput(Action.SUSPEND, case.version, reason="等待鉴定"), now=start
    )
    case.refresh_from_db()
    resumed = services.act(
        case.pk,
        dispatcher,
        ActionInput(Action.RESUME, case.version, reason="鉴定完成"),
        now=start + datetime.timedelta(days=7),
    )
    assert resumed.due_at > due + datetime.timedelta(days=5)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers")
def test_concurrent_numbers_never_collide() -> None:
    """Threads on their own connections commit for real (no flush: it would empty the demo
    district), under a district code no real case uses."""
    from django.db import connections, transaction

    numbers: list[str] = []
    errors: list[BaseException] = []
    year = 2000 + threading.get_ident() % 90  # a fresh counter per run

    def take() -> None:
        try:
            with transaction.atomic():
                numbers.append(services.next_number("999999", year))
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(set(numbers)) == 16


@pytest.mark.django_db
def test_one_extension_per_task_unless_an_administrator_allows_another(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, district_admin, grid_point
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    step(case, dispatcher, Action.DISPATCH)
    step(case, urban_handler, Action.ACCEPT)
    step(case, urban_handler, Action.REQUEST_EXTENSION, reason="等材料", extension_days=3)
    step(case, dispatcher, Action.REFUSE_EXTENSION, reason="可以按期完成")
    with pytest.raises(WorkflowError) as used_up:
        step(case, urban_handler, Action.REQUEST_EXTENSION, reason="再申请", extension_days=3)
    assert used_up.value.code == "extension_limit_reached"
    with pytest.raises(WorkflowError):  # a dispatcher cannot lift the limit
        step(case, dispatcher, Action.ALLOW_ANOTHER_EXTENSION, reason="特殊情况")
    step(case, district_admin, Action.ALLOW_ANOTHER_EXTENSION, reason="特殊情况")
    case = step(case, urban_handler, Action.REQUEST_EXTENSION, reason="再申请", extension_days=3)
    assert case.tasks.get().extension_pending


@pytest.mark.django_db
def test_an_assisting_unit_declines_and_the_lead_carries_on(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, housing_handler, grid_point
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    housing = housing_handler.memberships.get().department
    case = step(case, dispatcher, Action.DISPATCH, assisting_department_ids=[housing.pk])
    assert case.tasks.count() == 2
    case = step(case, housing_handler, Action.DECLINE_ASSISTANCE, reason="不涉及住建")
    assert case.status == Status.DISPATCHED
    assert case.tasks.get(lead=False).status == TaskStatus.DECLINED
    with pytest.raises(WorkflowError):  # the assisting unit cannot accept for the lead
        step(case, housing_handler, Action.ACCEPT)
    assert step(case, urban_handler, Action.ACCEPT).status == Status.HANDLING


@pytest.mark.django_db
def test_cancel_reopen_and_listing(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, leader, grid_point
):
    bogus = reported(grid_worker_a, grid_point)
    assert step(bogus, dispatcher, Action.CANCEL, reason="重复上报").status == Status.CANCELLED
    case = reported(grid_worker_a, grid_point, description="井盖缺失")
    step(case, dispatcher, Action.REGISTER)
    step(case, leader, Action.LIST, reason="群众反映强烈")
    step(case, dispatcher, Action.DISPATCH)
    step(case, urban_handler, Action.ACCEPT)
    step(case, urban_handler, Action.FEED_BACK, reason="已补齐")
    case = step(case, grid_worker_a, Action.VERIFY)
    assert case.status == Status.CLOSED and case.listed  # on the list until taken off (销号)
    case = step(case, grid_worker_a, Action.REOPEN, reason="井盖又丢了")
    assert case.status == Status.REGISTERED and case.closed_at is None
    with pytest.raises(WorkflowError):
        step(case, leader, Action.DELIST)  # only a closed case leaves the list


@pytest.mark.django_db
def test_a_hotline_operator_answers_directly(dispatcher, grid_point):  # type: ignore[no-untyped-def]
    data = ReportInput(
        category_code="R0104",
        description="咨询办理居住证需要什么材料",
        lon=grid_point[0],
        lat=grid_point[1],
        channel="hotline",
    )
    case = services.report(dispatcher, data, register=True)
    assert case.workflow == "hotline" and case.status == Status.REGISTERED
    case = step(case, dispatcher, Action.ANSWER_DIRECTLY, reason="已告知所需材料")
    assert case.status == Status.CLOSED
    assert step(case, dispatcher, Action.RATE, rating=4).satisfied is True
