"""Notifications: an in-app message for each person a case event concerns, the pluggable
outbound channel (`WANGGE_NOTIFY_BACKEND`), "deadline approaching" warnings and the daily
digest.

Who is told what (kind in brackets):
- dispatch: the handlers of every unit given a task (assigned);
- send back, decline, extension request, reopen: the dispatchers over the case
  (needs_dispatcher);
- feed back: the verifiers over the case, i.e. the grid's workers and leader (to_verify);
- rework, extension decided, another extension allowed: the lead unit's handlers (for_unit);
- yellow / red supervision: the lead unit's handlers and the dispatchers over the case
  (supervised_yellow / supervised_red);
- closed or cancelled: the reporter (closed);
- the handling deadline within `WANGGE_NOTIFY_DUE_SOON_HOURS` working hours (default 4): the
  lead unit's handlers, once per person and case (due_soon).
The person who acted is never told about their own action.

What goes out at once and what waits for the digest: every notification is an in-app row.
Only `IMMEDIATE` kinds also go out through the outbound backend at once: a new assignment
(the unit's clock is running), red supervision (the last step before the leaders) and a
deadline a few working hours away (a warning that waits for tomorrow's digest would come
after the deadline). Everything else reaches the outbound channel only in the daily digest:
one message per person per day, counting their unread notifications since the last digest
by kind and naming up to ten case numbers. Outbound messages are sent after the transaction
commits (`transaction.on_commit`), at most one per person per event; a failed send is logged
and never undoes the case's change.
"""

import json
import logging
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.models import Membership, Role, User
from wangge.cases import calendar
from wangge.cases.models import Case, CaseEvent, Notification, TaskStatus
from wangge.cases.workcalendar import add_working_hours
from wangge.cases.workflow import Action, Status

log = logging.getLogger("wangge.notify")

KIND_LABELS = {
    "assigned": gettext_lazy("New assignment"),
    "needs_dispatcher": gettext_lazy("Needs the dispatcher"),
    "to_verify": gettext_lazy("To verify"),
    "for_unit": gettext_lazy("For your unit"),
    "supervised_yellow": gettext_lazy("Yellow supervision"),
    "supervised_red": gettext_lazy("Red supervision"),
    "closed": gettext_lazy("Closed"),
    "due_soon": gettext_lazy("Deadline approaching"),
}
IMMEDIATE = frozenset({"assigned", "supervised_red", "due_soon"})
DUE_SOON = "due_soon"
DIGEST_CASE_NUMBERS = 10
WEBHOOK_TIMEOUT_SECONDS = 5
# WeCom robots refuse a text longer than 2,048 bytes.
WEBHOOK_MAX_BYTES = 2048


# Labels of notification kinds that other apps send (reports: reminders, special reports…);
# each app adds its own in `AppConfig.ready`.
OTHER_KIND_LABELS: dict[str, Any] = {}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind) or OTHER_KIND_LABELS.get(kind, kind))


# --- who is told ------------------------------------------------------------------------


def _active(queryset: Any) -> Any:
    today = timezone.localdate()
    return queryset.filter(starts_on__lte=today, user__is_active=True).filter(
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


TO_DISPATCHERS = {
    Action.SEND_BACK,
    Action.DECLINE_ASSISTANCE,
    Action.REQUEST_EXTENSION,
    Action.REOPEN,
}
TO_LEAD_UNIT = {
    Action.REWORK,
    Action.APPROVE_EXTENSION,
    Action.REFUSE_EXTENSION,
    Action.ALLOW_ANOTHER_EXTENSION,
}
TO_REPORTER = {Action.VERIFY, Action.ANSWER_DIRECTLY, Action.CANCEL}


def recipients(case: Case, event: CaseEvent) -> tuple[str, set[int]]:
    action = event.action
    lead = [case.lead_department_id] if case.lead_department_id else []
    if action == Action.DISPATCH:
        units = list(
            case.tasks.filter(status=TaskStatus.DISPATCHED).values_list("department_id", flat=True)
        )
        return "assigned", unit_handlers(units)
    if action in TO_DISPATCHERS:
        return "needs_dispatcher", region_holders(case, [Role.DISPATCHER])
    if action == Action.FEED_BACK:
        return "to_verify", region_holders(case, [Role.GRID_WORKER, Role.GRID_LEADER])
    if action in TO_LEAD_UNIT:
        return "for_unit", unit_handlers(lead)
    if action in {Action.SUPERVISE_YELLOW, Action.SUPERVISE_RED}:
        kind = "supervised_red" if action == Action.SUPERVISE_RED else "supervised_yellow"
        return kind, unit_handlers(lead) | region_holders(case, [Role.DISPATCHER])
    if action in TO_REPORTER and case.reporter_id:
        return "closed", {case.reporter_id}
    return "", set()


def message(case: Case, event: CaseEvent) -> str:
    from wangge.cases.workflow import WORKFLOWS

    spec = WORKFLOWS[case.workflow].actions.get(event.action)
    label = str(spec.label) if spec else event.action
    return (
        _("%(number)s %(title)s: %(action)s")
        % {"number": case.number, "title": case.title, "action": label}
    )[:300]


# Other apps' listeners for every timeline event (the portal texts a resident about their own
# request): each is called inside the case's transaction, after the event is written.
CASE_EVENT_LISTENERS: list[Callable[[Case, CaseEvent], None]] = []


def case_event(case: Case, event: CaseEvent) -> None:
    """Called by the services inside the case's transaction, after the event is written."""
    for listener in CASE_EVENT_LISTENERS:
        listener(case, event)
    kind, users = recipients(case, event)
    users.discard(event.actor_id)  # type: ignore[arg-type]
    if not kind or not users:
        return
    with translation.override(settings.LANGUAGE_CODE):  # stored for the reader, not the actor
        text = message(case, event)
    notifications_add(sorted(users), case=case, kind=kind, text=text, at=event.at)


def notifications_add(
    users: list[int], *, case: Case | None, kind: str, text: str, at: datetime
) -> None:
    """In-app rows for `users`; for an immediate kind, one outbound message each once the
    surrounding transaction commits (at once when there is none)."""
    Notification.objects.bulk_create(
        Notification(user_id=user, case=case, kind=kind, message=text, created_at=at)
        for user in users
    )
    if kind in IMMEDIATE:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Grid platform] %(kind)s") % {"kind": kind_label(kind)}
        # robust: a misconfigured backend is logged, never turned into an error page.
        transaction.on_commit(partial(send_each, list(users), subject, text), robust=True)


# --- the outbound channel -----------------------------------------------------------------


class Backend(Protocol):
    """Sends one message to one person; raises on failure (the caller logs it)."""

    def send(self, user: Any, subject: str, body: str) -> None: ...


class DeliveryFailed(Exception):
    pass


class ConsoleBackend:
    """Writes outbound messages to the log instead of sending them."""

    def send(self, user: Any, subject: str, body: str) -> None:
        log.info("notify %s: %s\n%s", user.get_username(), subject, body)


class WebhookBackend:
    """POSTs each message as a WeCom group-robot text message to `WANGGE_NOTIFY_WEBHOOK_URL`
    ({"msgtype": "text", "text": {"content": …, "mentioned_mobile_list": […]}}), naming the
    person by mobile number so the robot @-mentions them. The address carries the robot's
    key: it is never logged."""

    def __init__(self, url: str | None = None, timeout: float = WEBHOOK_TIMEOUT_SECONDS):
        self.url = url if url is not None else settings.WANGGE_NOTIFY_WEBHOOK_URL
        self.timeout = timeout
        # One instance serves one batch: once the robot cannot be reached, the rest of the
        # batch fails at once instead of waiting out the timeout person by person.
        self.unreachable = False

    def payload(self, user: Any, subject: str, body: str) -> dict[str, Any]:
        content = f"{subject}\n{body}".encode()[:WEBHOOK_MAX_BYTES].decode(errors="ignore")
        text: dict[str, Any] = {"content": content}
        if getattr(user, "mobile", ""):
            text["mentioned_mobile_list"] = [user.mobile]
        return {"msgtype": "text", "text": text}

    def send(self, user: Any, subject: str, body: str) -> None:
        if not self.url:
            raise DeliveryFailed("WANGGE_NOTIFY_WEBHOOK_URL is not set")
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.payload(user, subject, body), ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        host = urlsplit(self.url).netloc
        if self.unreachable:
            raise DeliveryFailed(f"webhook {host}: unreachable")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(4096)
        except urllib.error.HTTPError as error:
            raise DeliveryFailed(f"webhook {host}: HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            self.unreachable = True
            raise DeliveryFailed(f"webhook {host}: {error}") from None
        try:
            code = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            code = 0  # not a WeCom robot: a 2xx answer is success
        if code:
            raise DeliveryFailed(f"webhook {host}: errcode {code}")


def backend() -> Backend:
    return import_string(settings.WANGGE_NOTIFY_BACKEND)()  # type: ignore[no-any-return]


def deliver(channel: Backend, user: Any, subject: str, body: str) -> bool:
    """Send one message; a failure is logged and reported as False, never raised."""
    try:
        channel.send(user, subject, body)
    except Exception:
        log.exception("notify: could not send to %s", user.get_username())
        return False
    return True


def send_each(user_ids: Iterable[int], subject: str, body: str) -> None:
    channel = backend()
    for user in User.objects.filter(pk__in=set(user_ids), is_active=True).order_by("pk"):
        deliver(channel, user, subject, body)


# --- deadline approaching -------------------------------------------------------------------


def due_soon_hours() -> float:
    return float(getattr(settings, "WANGGE_NOTIFY_DUE_SOON_HOURS", 4))


def due_soon_notify(now: datetime | None = None, hours: float | None = None) -> int:
    """Tell the lead unit's handlers of each open case due within the next `hours` working
    hours, once per person and case (remembered as a `due_soon` notification). Returns the
    number of people told."""
    now = now or timezone.now()
    horizon = add_working_hours(
        calendar.current(), now, due_soon_hours() if hours is None else hours
    )
    cases = Case.objects.filter(
        status__in=[Status.DISPATCHED, Status.HANDLING],
        lead_department__isnull=False,
        due_at__gt=now,
        due_at__lte=horizon,
    ).order_by("due_at", "pk")
    told = 0
    for case in cases:
        with transaction.atomic():
            told += _due_soon_case(case, now)
    return told


def _due_soon_case(case: Case, now: datetime) -> int:
    assert case.lead_department_id is not None and case.due_at is not None
    handlers = unit_handlers([case.lead_department_id])
    already = set(
        Notification.objects.filter(case=case, kind=DUE_SOON, user_id__in=handlers).values_list(
            "user_id", flat=True
        )
    )
    users = sorted(handlers - already)
    if not users:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(number)s %(title)s: due at %(due)s") % {
            "number": case.number,
            "title": case.title,
            "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
        }
    notifications_add(users, case=case, kind=DUE_SOON, text=text[:300], at=now)
    return len(users)


# --- the daily digest -----------------------------------------------------------------------


def digest_send(now: datetime | None = None) -> int:
    """One outbound message per person summarising their unread notifications not yet in a
    digest; those are then marked digested. A person who already had a digest today (local
    time) gets none until tomorrow; a failed send marks nothing, so the next run retries.
    Returns the number of messages sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    pending = Notification.objects.filter(
        read_at__isnull=True, digested_at__isnull=True, created_at__lte=now
    )
    user_ids = set(pending.values_list("user_id", flat=True))
    digested_today = {
        user_id
        for user_id, last in Notification.objects.filter(user_id__in=user_ids)
        .values_list("user_id")
        .annotate(last=Max("digested_at"))
        if last is not None and timezone.localtime(last).date() == today
    }
    channel = backend()
    sent = 0
    users = User.objects.filter(pk__in=user_ids - digested_today, is_active=True).order_by("pk")
    for user in users:
        rows = list(pending.filter(user=user).select_related("case").order_by("-created_at", "-id"))
        subject, body = digest_text(rows)
        if deliver(channel, user, subject, body):
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(digested_at=now)
            sent += 1
    return sent


def digest_text(rows: list[Notification]) -> tuple[str, str]:
    """The digest's subject and body: counts per kind, then up to ten case numbers."""
    counts = Counter(row.kind for row in rows)
    numbers = list(dict.fromkeys(row.case.number for row in rows if row.case is not None))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Grid platform] You have %(count)s unread notifications") % {
            "count": len(rows)
        }
        lines = [
            _("%(kind)s: %(count)s") % {"kind": kind_label(kind), "count": count}
            for kind, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        if numbers:
            shown = ", ".join(numbers[:DIGEST_CASE_NUMBERS])
            if len(numbers) > DIGEST_CASE_NUMBERS:
                shown += _(" and %(more)s more") % {"more": len(numbers) - DIGEST_CASE_NUMBERS}
            lines.append(_("Cases: %(numbers)s") % {"numbers": shown})
    return subject, "\n".join(lines)


# --- the inbox ------------------------------------------------------------------------------


def notifications_of(user: Any) -> Any:
    """The person's notifications, unread first, newest first."""
    read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user)
        .select_related("case")
        .order_by(read.asc(), "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get_for(user: Any, pk: int) -> Notification:
    """One of the person's own notifications; anyone else's is not found (404)."""
    found = Notification.objects.filter(pk=pk, user=user).first()
    if found is None:
        raise Http404
    return found


def notification_mark_read(*, actor: Any, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
