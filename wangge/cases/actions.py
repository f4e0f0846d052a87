"""What each workflow action changes besides the status, as one function per action
(`HANDLERS`), and the dispatch rule's choice of unit. `services.act` checks the action
against the workflow table, then calls the handler inside its transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wangge.accounts.models import Department
from wangge.cases import access, calendar, rollups
from wangge.cases.categories import limits_of
from wangge.cases.deadlines import limit_end
from wangge.cases.models import Case, Category, DispatchRule, Task, TaskStatus
from wangge.cases.workflow import Action, SupervisionLevel, WorkflowError

MAX_EXTENSION_DAYS = 30


@dataclass
class ActionInput:
    action: str
    version: int
    reason: str = ""
    task_id: int | None = None
    lead_department_id: int | None = None
    assisting_department_ids: Sequence[int] = ()
    instructions: str = ""
    extension_days: int | None = None
    rating: int | None = None
    satisfied: bool | None = None


def suggest_department(category: Category, region_code: str) -> Department | None:
    """The dispatch rule's unit: the most specific rule (longest region prefix, then category
    prefix), else a unit whose handled categories include the category, else a unit of the
    category's department kind; among units, the one whose region is deepest over the case."""
    rules = [
        rule
        for rule in DispatchRule.objects.select_related("department")
        if category.code.startswith(rule.category_prefix)
        and region_code.startswith(rule.region_prefix)
    ]
    if rules:
        best = max(rules, key=lambda rule: (len(rule.region_prefix), len(rule.category_prefix)))
        return best.department
    covering = [
        department
        for department in Department.objects.all()
        if region_code.startswith(department.region_id)
    ]
    by_category = [
        department
        for department in covering
        if any(category.code.startswith(code) for code in department.category_codes or [])
    ]
    by_kind = [department for department in covering if department.kind == category.department_kind]
    for candidates in (by_category, by_kind):
        if candidates:
            return max(
                candidates, key=lambda department: (len(department.region_id), -department.pk)
            )
    return None


# --- what each action changes besides the status -------------------------------------------

INTERNAL_ACTIONS = frozenset(
    {
        Action.COMMENT,
        Action.SUPERVISE_YELLOW,
        Action.SUPERVISE_RED,
        Action.CANCEL_SUPERVISION,
        Action.LIST,
        Action.DELIST,
        Action.REQUEST_EXTENSION,
        Action.REFUSE_EXTENSION,
        Action.ALLOW_ANOTHER_EXTENSION,
        Action.DECLINE_ASSISTANCE,
    }
)


def _register(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> None:
    case.registered_at = now
    rollups.add(case, now, registered=1)


def _department(pk: int | None, field_name: str) -> Department:
    department = Department.objects.filter(pk=pk).first() if pk else None
    if department is None:
        raise ValidationError({field_name: _("Choose a unit from the list.")})
    return department


def _dispatch(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> dict[str, Any]:
    lead = (
        _department(given.lead_department_id, "lead_department")
        if given.lead_department_id
        else suggest_department(case.category, case.region_code)
    )
    if lead is None:
        raise ValidationError({"lead_department": _("No rule names a unit here: choose one.")})
    assisting = [
        _department(pk, "assisting_departments")
        for pk in dict.fromkeys(given.assisting_department_ids)
    ]
    if any(unit.pk == lead.pk for unit in assisting):
        raise ValidationError({"assisting_departments": _("The lead unit cannot also assist.")})
    if len(given.instructions) > 500:
        raise ValidationError(
            {"instructions": _("The instructions are too long (at most 500 characters).")}
        )
    for old in tasks:
        if old.status in access.OPEN_TASK:
            old.status = TaskStatus.CANCELLED
            old.finished_at = now
            old.save()
    first = not tasks  # a case sent back or reopened was dispatched before: counted once
    case.dispatched_at = now
    case.lead_department = lead
    limits = limits_of(case.category)
    # A unit may object within the acceptance limit, or within its own limit where the
    # category sets one (a petition: 5 working days, 信访工作条例 art. 23).
    window = limits.steps.get("send_back") or limits.steps.get("accept")
    work = calendar.current()
    send_back_until = limit_end(window.limit, now, work) if window else None
    for unit, is_lead in [(lead, True), *((unit, False) for unit in assisting)]:
        Task.objects.create(
            case=case,
            department=unit,
            lead=is_lead,
            instructions=given.instructions,
            dispatched_at=now,
            send_back_until=send_back_until,
        )
    if first:
        rollups.add(case, now, dispatched=1)
    return {"lead": lead.name, "assisting": [unit.name for unit in assisting]}


def _accept(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> None:
    assert task is not None
    task.status = TaskStatus.HANDLING
    task.accepted_at = now
    task.handler = actor
    task.save()


def _send_back(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> dict[str, Any]:
    assert task is not None
    task.status = TaskStatus.SENT_BACK
    task.finished_at = now
    task.save()
    case.lead_department = None
    return {"unit": task.department.name}


def _decline(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> dict[str, Any]:
    if task is None or task.lead:
        raise WorkflowError("not_your_action", _("Only an assisting unit may decline."))
    task.status = TaskStatus.DECLINED
    task.finished_at = now
    task.save()
    return {"unit": task.department.name}


def _feed_back(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> None:
    assert task is not None
    task.status = TaskStatus.FED_BACK
    task.finished_at = now
    task.save()
    case.fed_back_at = now
    case.on_time = case.due_at is None or now <= case.due_at


def _verify(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> None:
    _close(case, tasks, now)


def _close(case: Case, tasks: list[Task], now: datetime) -> None:
    for each in tasks:
        if each.status in access.OPEN_TASK:
            each.status = TaskStatus.DONE
            each.finished_at = each.finished_at or now
            each.save()
    case.closed_at = now
    on_time = bool(case.on_time) if case.due_at else True
    case.on_time = on_time
    rollups.add(case, now, closed=1, closed_on_time=int(on_time))


def _answer(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> None:
    case.fed_back_at = now
    case.on_time = case.due_at is None or now <= case.due_at
    _close(case, tasks, now)


def _rework(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> None:
    lead = next((t for t in tasks if t.lead and t.status == TaskStatus.FED_BACK), None)
    if lead is not None:
        lead.status = TaskStatus.HANDLING
        lead.finished_at = None
        lead.save()
    case.rework_count += 1
    case.fed_back_at = None
    rollups.add(case, now, reworked=1)


def _reopen(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> None:
    if case.closed_at is not None:
        rollups.add(case, case.closed_at, closed=-1, closed_on_time=-int(bool(case.on_time)))
    case.closed_at = None
    case.fed_back_at = None
    case.on_time = None
    case.dispatched_at = None
    case.registered_at = now
    case.lead_department = None


def _rate(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> dict[str, Any]:
    if given.rating is None or not 1 <= given.rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    case.rating = given.rating
    case.satisfied = given.rating >= 4 if given.satisfied is None else given.satisfied
    rollups.add(case, now, rated=1, satisfied=int(case.satisfied))
    return {"rating": case.rating, "satisfied": case.satisfied}


def _request_extension(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> dict[str, Any]:
    assert task is not None
    days = given.extension_days
    if days is None or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {
                "extension_days": _("Ask for 1 to %(most)d working days.")
                % {"most": MAX_EXTENSION_DAYS}
            }
        )
    task.extension_pending = True
    task.extension_days = days
    task.save()
    return {"days": days, "unit": task.department.name}


def _approve_extension(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> dict[str, Any]:
    assert task is not None
    days = task.extension_days or 0
    task.extension_pending = False
    task.extensions_used += 1
    task.extended_days += days
    task.save()
    case.extension_count += 1
    rollups.add(case, now, extended=1)
    return {"days": days, "unit": task.department.name}


def _refuse_extension(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> dict[str, Any]:
    assert task is not None
    task.extension_pending = False
    task.extensions_used += 1
    task.save()
    return {"days": task.extension_days, "unit": task.department.name}


def _allow_another(
    case: Case, actor: Any, given: ActionInput, task: Task | None, tasks: Any, now: datetime
) -> None:
    assert task is not None
    task.extensions_allowed += 1
    task.save()


def _suspend(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> None:
    case.suspended_at = now


def _resume(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> None:
    case.suspended_at = None


def _supervise(level: SupervisionLevel) -> Any:
    def handler(
        case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
    ) -> dict[str, Any]:
        case.supervision = level
        return {"level": int(level), "automatic": actor is None}

    return handler


def _cancel_supervision(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> None:
    case.supervision = SupervisionLevel.NONE


def _list(case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime) -> None:
    case.listed = True
    case.listed_at = now


def _delist(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: Any, now: datetime
) -> None:
    case.listed = False


def _cancel(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> None:
    for each in tasks:
        if each.status in access.OPEN_TASK:
            each.status = TaskStatus.CANCELLED
            each.finished_at = now
            each.save()


def _transfer(
    case: Case, actor: Any, given: ActionInput, task: Any, tasks: list[Task], now: datetime
) -> dict[str, Any]:
    """The receiving unit takes the case over (三调联动): the open tasks end, a new lead task
    of the receiving unit starts handling at once, and its handling clock starts now."""
    if not given.lead_department_id:
        raise ValidationError({"lead_department": _("Name the unit that takes the case over.")})
    unit = _department(given.lead_department_id, "lead_department")
    before = case.lead_department.name if case.lead_department else ""
    if case.lead_department_id == unit.pk:
        raise ValidationError({"lead_department": _("The case is already with this unit.")})
    for old in tasks:
        if old.status in access.OPEN_TASK:
            old.status = TaskStatus.CANCELLED
            old.finished_at = now
            old.save()
    Task.objects.create(
        case=case,
        department=unit,
        lead=True,
        instructions=given.instructions[:500],
        status=TaskStatus.HANDLING,
        dispatched_at=now,
        accepted_at=now,
        handler=actor if getattr(actor, "pk", None) else None,
    )
    case.lead_department = unit
    return {"from": before, "to": unit.name}


HANDLERS: dict[str, Any] = {
    Action.TRANSFER: _transfer,
    Action.REGISTER: _register,
    Action.CANCEL: _cancel,
    Action.DISPATCH: _dispatch,
    Action.ACCEPT: _accept,
    Action.SEND_BACK: _send_back,
    Action.DECLINE_ASSISTANCE: _decline,
    Action.FEED_BACK: _feed_back,
    Action.VERIFY: _verify,
    Action.ANSWER_DIRECTLY: _answer,
    Action.REWORK: _rework,
    Action.REOPEN: _reopen,
    Action.RATE: _rate,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.REFUSE_EXTENSION: _refuse_extension,
    Action.ALLOW_ANOTHER_EXTENSION: _allow_another,
    Action.SUSPEND: _suspend,
    Action.RESUME: _resume,
    Action.SUPERVISE_YELLOW: _supervise(SupervisionLevel.YELLOW),
    Action.SUPERVISE_RED: _supervise(SupervisionLevel.RED),
    Action.CANCEL_SUPERVISION: _cancel_supervision,
    Action.LIST: _list,
    Action.DELIST: _delist,
}
