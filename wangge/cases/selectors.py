"""Reads for the case pages: the work queues per role, with their counts, and the list
filters (including the statistics' figures, so every figure can be traced to its cases)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wangge.cases import access
from wangge.cases.models import Case, Task, TaskStatus
from wangge.cases.workflow import OPEN, Status, SupervisionLevel

RUNNING = [status for status in OPEN if status != Status.SUSPENDED]


@dataclass(frozen=True)
class Queue:
    code: str
    label: Promise
    permission: str

    def cases(self, user: Any, now: datetime) -> QuerySet[Case]:
        return QUEUE_FILTERS[self.code](user, access.visible_cases(user), now)


def _region_q(user: Any) -> Q:
    """The user's own regions (not the units' tasks): where they dispatch and verify."""
    from wangge.core.scope import prefix_q, user_scope

    scope = user_scope(user)
    if scope.unlimited:
        return Q()
    condition = Q(pk__in=[])
    for code in sorted(scope.region_codes):
        condition |= prefix_q("region_code", code)
    return condition


def _unit_tasks(user: Any, statuses: list[str]) -> QuerySet[Task]:
    return Task.objects.filter(department_id__in=access.department_ids(user), status__in=statuses)


QUEUE_FILTERS = {
    "to_register": lambda user, cases, now: cases.filter(_region_q(user), status=Status.REPORTED),
    "to_dispatch": lambda user, cases, now: cases.filter(
        _region_q(user), status__in=[Status.REGISTERED, Status.SENT_BACK]
    ),
    "to_accept": lambda user, cases, now: cases.filter(
        pk__in=_unit_tasks(user, [TaskStatus.DISPATCHED]).values("case_id")
    ),
    "my_tasks": lambda user, cases, now: cases.filter(
        pk__in=_unit_tasks(user, [TaskStatus.HANDLING]).values("case_id")
    ),
    "to_verify": lambda user, cases, now: cases.filter(_region_q(user), status=Status.FED_BACK),
    "overdue": lambda user, cases, now: cases.filter(status__in=RUNNING, due_at__lt=now),
    "supervised": lambda user, cases, now: cases.filter(
        status__in=list(OPEN), supervision__gte=SupervisionLevel.YELLOW
    ),
    "listed": lambda user, cases, now: cases.filter(listed=True),
    "reported_by_me": lambda user, cases, now: cases.filter(reporter=user),
}

QUEUES = (
    Queue("to_register", _("To register"), access.DISPATCH),
    Queue("to_dispatch", _("To dispatch"), access.DISPATCH),
    Queue("to_accept", _("To accept"), access.HANDLE),
    Queue("my_tasks", _("My unit's tasks"), access.HANDLE),
    Queue("to_verify", _("To verify"), access.VERIFY),
    Queue("overdue", _("Overdue"), access.VIEW),
    Queue("supervised", _("Under supervision"), access.VIEW),
    Queue("listed", _("Listed for the leaders"), access.SUPERVISE),
    Queue("reported_by_me", _("Reported by me"), access.REPORT),
)
QUEUE_BY_CODE = {queue.code: queue for queue in QUEUES}


def queues_for(user: Any) -> list[Queue]:
    return [queue for queue in QUEUES if user.has_perm(queue.permission)]


def queue_counts(user: Any, now: datetime | None = None) -> list[tuple[Queue, int]]:
    now = now or timezone.now()
    return [(queue, queue.cases(user, now).count()) for queue in queues_for(user)]


def filtered(cases: QuerySet[Case], data: dict[str, Any], now: datetime) -> QuerySet[Case]:
    """The list's filters: status, category (prefix), region (prefix), overdue, text."""
    from wangge.core.scope import prefix_q

    if data.get("status") == "open":
        cases = cases.filter(status__in=list(OPEN))
    elif data.get("status"):
        cases = cases.filter(status=data["status"])
    if data.get("category"):
        cases = cases.filter(prefix_q("category_code", data["category"]))
    if data.get("region"):
        cases = cases.filter(prefix_q("region_code", data["region"]))
    if data.get("overdue"):
        cases = cases.filter(status__in=RUNNING, due_at__lt=now)
    text = (data.get("q") or "").strip()
    if text:
        cases = cases.filter(Q(number__startswith=text) | Q(title__contains=text))
    return cases
