"""Notifications: an in-app message for each person a case event concerns, and the
pluggable outbound channel (`WANGGE_NOTIFY_BACKEND`; the console backend logs them).

Who is told what:
- dispatch: the handlers of every unit given a task;
- send back, decline, extension request: the dispatchers over the case;
- feed back: the verifiers over the case (the grid's workers), and the reporter;
- rework, supervision, extension decided: the handlers of the lead unit;
- closed: the reporter.
"""

import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Membership, Role
from wangge.cases.models import Case, CaseEvent, Notification, TaskStatus
from wangge.cases.workflow import Action

log = logging.getLogger("wangge.notify")


def _active(queryset: Any) -> Any:
    today = timezone.localdate()
    return queryset.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def unit_handlers(department_ids: list[int]) -> set[int]:
    return set(
        _active(
            Membership.objects.filter(
                department_id__in=department_ids, role=Role.DEPARTMENT_HANDLER
            )
        ).values_list("user_id", flat=True)
    )


def region_holders(case: Case, roles: list[str]) -> set[int]:
    prefixes = {case.region_code[:n] for n in (6, 9, 12, 15)}
    return set(
        _active(Membership.objects.filter(region_id__in=prefixes, role__in=roles)).values_list(
            "user_id", flat=True
        )
    )


def recipients(case: Case, event: CaseEvent) -> tuple[str, set[int]]:
    action = event.action
    if action == Action.DISPATCH:
        units = list(
            case.tasks.filter(status=TaskStatus.DISPATCHED).values_list("department_id", flat=True)
        )
        return "assigned", unit_handlers(units)
    if action in {Action.SEND_BACK, Action.DECLINE_ASSISTANCE, Action.REQUEST_EXTENSION}:
        return "needs_dispatcher", region_holders(case, [Role.DISPATCHER])
    if action == Action.FEED_BACK:
        people = region_holders(case, [Role.GRID_WORKER, Role.GRID_LEADER])
        return "to_verify", people
    lead = [case.lead_department_id] if case.lead_department_id else []
    if action in {Action.REWORK, Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION}:
        return "for_unit", unit_handlers(lead)
    if action in {Action.SUPERVISE_YELLOW, Action.SUPERVISE_RED}:
        return "supervised", unit_handlers(lead) | region_holders(case, [Role.DISPATCHER])
    if action in {Action.VERIFY, Action.ANSWER_DIRECTLY} and case.reporter_id:
        return "closed", {case.reporter_id}
    return "", set()


def message(case: Case, event: CaseEvent) -> str:
    from wangge.cases.workflow import WORKFLOWS

    spec = WORKFLOWS[case.workflow].actions.get(event.action)
    label = str(spec.label) if spec else event.action
    return (
        _("%(number)s %(title)s: %(action)s")
        % {
            "number": case.number,
            "title": case.title,
            "action": label,
        }
    )[:300]


def case_event(case: Case, event: CaseEvent) -> None:
    kind, users = recipients(case, event)
    users.discard(event.actor_id)  # type: ignore[arg-type]
    if not kind or not users:
        return
    text = message(case, event)
    Notification.objects.bulk_create(
        Notification(user_id=user, case=case, kind=kind, message=text, created_at=event.at)
        for user in sorted(users)
    )


class ConsoleBackend:
    """Writes outbound messages to the log instead of sending them."""

    def send(self, user: Any, subject: str, body: str) -> None:
        log.info(
            "notify %s <%s>: %s\n%s",
            user.get_username(),
            getattr(user, "mobile", ""),
            subject,
            body,
        )
