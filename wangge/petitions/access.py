"""Who may see a petition, and what each viewer may do with it.

- A holder of `petitions.view_petition` sees the petitions whose case they see
  (`cases.access.visible_cases`).
- A handler of a unit that has (or had) a task on the petition's case sees it.
Anything else is out of scope: 404. A page refuses, with 403, a signed-in user holding
neither capability before it looks anything up.
"""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from wangge.cases import access as case_access
from wangge.cases import services as engine
from wangge.cases.models import Task
from wangge.cases.workflow import Action, available_actions
from wangge.petitions.models import Petition
from wangge.petitions.services import OFFICE, VIEW, review_refusal, routes


def may_open(user: Any) -> bool:
    """Holds a capability that can reach some petition (else the pages answer 403)."""
    return bool(user.has_perm(VIEW) or user.has_perm(case_access.HANDLE))


def petitions_visible_to(user: Any) -> QuerySet[Petition]:
    if not getattr(user, "is_authenticated", False):
        return Petition.objects.none()
    condition = Q(pk__in=[])
    if user.has_perm(VIEW):
        condition |= Q(case__in=case_access.visible_cases(user).values("pk"))
    units = case_access.department_ids(user)
    if units and user.has_perm(case_access.HANDLE):
        condition |= Q(case__in=Task.objects.filter(department_id__in=units).values("case_id"))
    return Petition.objects.filter(condition)


def petition_get_for(user: Any, case_id: int) -> Petition:
    petition = (
        petitions_visible_to(user)
        .select_related("case__category", "case__lead_department", "previous__case")
        .filter(pk=case_id)
        .first()
    )
    if petition is None:
        raise Http404
    return petition


# What the pages offer, by the engine's rules: a handler's actions as the engine computes
# them for this person, the petitions office's as the workflow allows its vouched relation.
HANDLER_ACTIONS: dict[str, str] = {
    Action.ACCEPT: "accept",
    Action.SEND_BACK: "object",
    Action.REQUEST_EXTENSION: "request_extension",
    Action.FEED_BACK: "issue_opinion",
}
OFFICE_ACTIONS: dict[str, str] = {
    Action.DISPATCH: "route",
    Action.APPROVE_EXTENSION: "approve_extension",
    Action.REFUSE_EXTENSION: "refuse_extension",
    Action.VERIFY: "close",
}


def actions_for(user: Any, petition: Petition, now: datetime) -> list[str]:
    case = petition.case
    tasks = list(case.tasks.all())
    found = [
        HANDLER_ACTIONS[spec.code]
        for spec in engine.available(case, user, now, tasks=tasks, with_reserved=True)
        if spec.code in HANDLER_ACTIONS
    ]
    if not routes(user, case):
        return found
    task = next((task for task in tasks if task.extension_pending), None) or next(
        (task for task in tasks if task.status in case_access.OPEN_TASK), None
    )
    facts = engine.case_facts(case, task, now)
    for spec in available_actions(engine.workflow_of(case), relation=OFFICE, facts=facts):
        if spec.code in OFFICE_ACTIONS and OFFICE_ACTIONS[spec.code] not in found:
            found.append(OFFICE_ACTIONS[spec.code])
    if "close" in found and petition.opinion_at is None:
        found.remove("close")
    if review_refusal(petition, now) is None:
        found.append("request_review")
    return found
