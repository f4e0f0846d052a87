"""Who may see a case, and how a person stands to one (the workflow's `Relation`).

- Posts in regions see the cases in their regions (by `region_code` prefix).
- Department posts see the cases one of their units has a task on (now or before).
- A reporter sees their own reports.
Anything else is out of scope: 404.

Roles in a case come from capabilities plus position: a dispatcher is a holder of
`cases.dispatch_case` whose regions cover the case; a handler holds `cases.handle_case` in
the unit of an open task; a verifier holds `cases.verify_case` in the case's region (and is
never a handler of it: the workflow's guard); a leader holds `cases.supervise_case` there.
"""

from typing import Any

from django.db.models import Q, QuerySet

from wangge.cases.models import Case, Task, TaskStatus
from wangge.cases.workflow import Relation
from wangge.core.scope import prefix_q, user_scope

REPORT = "cases.report_case"
DISPATCH = "cases.dispatch_case"
HANDLE = "cases.handle_case"
VERIFY = "cases.verify_case"
SUPERVISE = "cases.supervise_case"
ADMINISTER = "cases.administer_cases"
STATISTICS = "cases.view_case_statistics"
VIEW = "cases.view_case"

OPEN_TASK = (TaskStatus.DISPATCHED, TaskStatus.HANDLING, TaskStatus.FED_BACK)


def department_ids(user: Any) -> frozenset[int]:
    """The units of the user's current department posts (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    from wangge.accounts.selectors import posts_held

    return frozenset(post.department_id for post in posts_held(user) if post.department_id)


def visible_q(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = user_scope(user)
    if scope.unlimited:
        return Q()
    condition = Q(reporter=user)
    for code in sorted(scope.region_codes):
        condition |= prefix_q("region_code", code)
    units = department_ids(user)
    if units:
        condition |= Q(pk__in=Task.objects.filter(department_id__in=units).values("case_id"))
    return condition


def visible_cases(user: Any, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    queryset = Case.objects.all() if queryset is None else queryset
    return queryset.filter(visible_q(user))


def covers(user: Any, region_code: str) -> bool:
    return user_scope(user).covers(region_code)


def relation(user: Any, case: Case, tasks: list[Task] | None = None) -> Relation:
    """How `user` stands to `case` now."""
    if not getattr(user, "is_authenticated", False):
        return Relation()
    tasks = list(case.tasks.all()) if tasks is None else tasks
    units = department_ids(user)
    in_region = covers(user, case.region_code)
    open_tasks = [task for task in tasks if task.status in OPEN_TASK]
    handles = user.has_perm(HANDLE)
    return Relation(
        reporter=case.reporter_id == user.pk,
        dispatcher=in_region and user.has_perm(DISPATCH),
        lead_handler=handles
        and any(task.lead and task.department_id in units for task in open_tasks),
        assisting_handler=handles
        and any(not task.lead and task.department_id in units for task in open_tasks),
        verifier=in_region and user.has_perm(VERIFY),
        leader=in_region and user.has_perm(SUPERVISE),
        administrator=in_region and user.has_perm(ADMINISTER),
    )


def own_task(user: Any, tasks: list[Task]) -> Task | None:
    """The open task of the user's unit (the lead one first)."""
    units = department_ids(user)
    mine = [task for task in tasks if task.status in OPEN_TASK and task.department_id in units]
    mine.sort(key=lambda task: not task.lead)
    return mine[0] if mine else None
