"""Notifications: who is told of each event, the outbound channel (once, after commit, never
on rollback), the webhook, deadline-approaching warnings, the daily digest and the inbox."""

import io
import json
import logging
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conftest import GRID_A, make_persona
from wangge.accounts.models import Membership
from wangge.cases import notify, services
from wangge.cases.context_processors import unread_notifications
from wangge.cases.models import Case, Notification
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY
from wangge.cases.workflow import Action

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECORDING = "wangge.cases.tests.test_notify.RecordingBackend"


class RecordingBackend:
    """Keeps what would have been sent."""

    sent: list[tuple[str, str, str]] = []

    def send(self, user: Any, subject: str, body: str) -> None:
        self.sent.append((user.username, subject, body))


class FailingBackend:
    def send(self, user: Any, subject: str, body: str) -> None:
        raise notify.DeliveryFailed("the gateway is down")


@pytest.fixture(autouse=True)
def recording(db):  # type: ignore[no-untyped-def]
    """What the outbound channel sent, starting from no notifications at all (whatever the
    demo district may hold), so digests count only the test's own."""
    Notification.objects.all().delete()
    RecordingBackend.sent = []
    with override_settings(WANGGE_NOTIFY_BACKEND=RECORDING):
        yield RecordingBackend.sent


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def reported(worker, point, now=None):  # type: ignore[no-untyped-def]
    data = ReportInput(
        category_code=URBAN_CATEGORY, description="路边垃圾堆积", lon=point[0], lat=point[1]
    )
    return services.report(worker, data, now=now)


def step(case, actor, action, now=None, **given):  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    return services.act(case.pk, actor, ActionInput(action, case.version, **given), now=now)


def told(case: Case, kind: str) -> set[str]:
    return set(
        Notification.objects.filter(case=case, kind=kind).values_list("user__username", flat=True)
    )


def handlers_of(unit) -> set[str]:  # type: ignore[no-untyped-def]
    """The unit's handlers (the demo district's own included)."""
    return set(
        Membership.objects.filter(department=unit, role="department_handler").values_list(
            "user__username", flat=True
        )
    )


def posted_over(case: Case, role: str) -> set[str]:
    """Everyone (the demo district's own staff included) holding `role` over the case."""
    prefixes = {case.region_code[:n] for n in (6, 9, 12, 15)}
    return set(
        Membership.objects.filter(region_id__in=prefixes, role=role).values_list(
            "user__username", flat=True
        )
    )


@pytest.fixture
def grid_leader_a(db):  # type: ignore[no-untyped-def]
    return make_persona("leader_a", "grid_leader", region=GRID_A[:12])


def test_each_event_tells_the_people_it_concerns_and_not_the_actor(  # type: ignore[no-untyped-def]
    grid_worker_a,
    grid_worker_b,
    grid_leader_a,
    outsider,
    dispatcher,
    urban_handler,
    housing_handler,
    grid_point,
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    assert not Notification.objects.filter(case=case).exists()

    step(case, dispatcher, Action.DISPATCH)
    urban = handlers_of(urban_handler.memberships.get().department)
    assert told(case, "assigned") == urban and "um_handler" in urban
    step(case, urban_handler, Action.SEND_BACK, reason="不属于本单位")
    assert told(case, "needs_dispatcher") == posted_over(case, "dispatcher")
    assert "t_dispatcher" in told(case, "needs_dispatcher")
    housing = housing_handler.memberships.get().department
    step(case, dispatcher, Action.DISPATCH, lead_department_id=housing.pk)
    assert told(case, "assigned") == urban | handlers_of(housing)
    step(case, housing_handler, Action.ACCEPT)
    step(case, housing_handler, Action.FEED_BACK, reason="已清理")
    verifiers = posted_over(case, "grid_worker") | posted_over(case, "grid_leader")
    assert told(case, "to_verify") == verifiers
    assert {"worker_a", "leader_a"} <= verifiers and "worker_b" not in verifiers
    step(case, grid_worker_a, Action.REWORK, reason="仍有垃圾")
    assert told(case, "for_unit") == handlers_of(housing)
    step(case, housing_handler, Action.FEED_BACK, reason="已彻底清理")
    step(case, grid_leader_a, Action.VERIFY)
    assert told(case, "closed") == {"worker_a"}  # the reporter
    assert not Notification.objects.filter(user=grid_worker_b).exists()
    assert not Notification.objects.filter(user=outsider).exists()
    # Nobody is told of their own action: the dispatcher acted, and was told only of the
    # send back; the verifier closed it and was told only to verify.
    assert set(Notification.objects.filter(user=dispatcher).values_list("kind", flat=True)) == {
        "needs_dispatcher"
    }
    assert set(Notification.objects.filter(user=grid_leader_a).values_list("kind", flat=True)) == {
        "to_verify"
    }


def test_a_red_supervision_tells_the_lead_unit_and_the_dispatchers(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, grid_point
):
    start = at("2026-11-02T09:00")
    case = reported(grid_worker_a, grid_point, now=start)
    step(case, dispatcher, Action.REGISTER, now=start)
    step(case, dispatcher, Action.DISPATCH, now=start)

    assert services.sweep(now=start + timedelta(days=30)) >= 1

    urban = handlers_of(urban_handler.memberships.get().department)
    assert told(case, "supervised_red") == urban | posted_over(case, "dispatcher")
    assert "t_dispatcher" in told(case, "supervised_red")
    assert not told(case, "supervised_yellow")


def test_an_assignment_goes_out_once_per_person_and_only_after_commit(  # type: ignore[no-untyped-def]
    grid_worker_a,
    dispatcher,
    urban_handler,
    grid_point,
    recording,
    django_capture_on_commit_callbacks,
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(case, dispatcher, Action.DISPATCH)
        assert recording == []  # nothing before the commit
    assert len(callbacks) == 1
    urban = handlers_of(urban_handler.memberships.get().department)
    assert sorted(username for username, _subject, _body in recording) == sorted(urban)
    assert "um_handler" in urban
    assert all(case.number in body for _username, _subject, body in recording)


def test_an_event_rolled_back_sends_nothing_and_leaves_no_notification(  # type: ignore[no-untyped-def]
    grid_worker_a,
    dispatcher,
    urban_handler,
    grid_point,
    recording,
    django_capture_on_commit_callbacks,
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        step(case, dispatcher, Action.DISPATCH)
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert recording == []
    assert not Notification.objects.filter(case=case).exists()


def test_low_priority_kinds_wait_for_the_digest(  # type: ignore[no-untyped-def]
    grid_worker_a,
    dispatcher,
    urban_handler,
    grid_point,
    recording,
    django_capture_on_commit_callbacks,
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)
    step(case, dispatcher, Action.DISPATCH)

    with django_capture_on_commit_callbacks(execute=True):
        step(case, urban_handler, Action.SEND_BACK, reason="不属于本单位")

    assert "t_dispatcher" in told(case, "needs_dispatcher")
    assert recording == []


@override_settings(WANGGE_NOTIFY_BACKEND="wangge.cases.tests.test_notify.FailingBackend")
def test_a_failing_channel_is_logged_and_the_case_still_changes(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, grid_point, caplog, django_capture_on_commit_callbacks
):
    case = reported(grid_worker_a, grid_point)
    step(case, dispatcher, Action.REGISTER)

    with (
        caplog.at_level(logging.ERROR, logger="wangge.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = step(case, dispatcher, Action.DISPATCH)

    assert case.status == "dispatched"
    assert "could not send to um_handler" in caplog.text


class Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = b'{"errcode":0,"errmsg":"ok"}'

    def do_POST(self) -> None:  # noqa: N802 (the http.server interface)
        length = int(self.headers["Content-Length"])
        Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(Hook.answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook_url():  # type: ignore[no-untyped-def]
    """A WeCom-robot stand-in on the loopback interface (no network)."""
    Hook.received = []
    Hook.answer = b'{"errcode":0,"errmsg":"ok"}'
    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=secret"
    server.shutdown()
    server.server_close()


def test_the_webhook_posts_a_wecom_text_message_naming_the_person(hook_url, urban_handler):  # type: ignore[no-untyped-def]
    urban_handler.mobile = "13800001234"

    notify.WebhookBackend(hook_url).send(urban_handler, "【网格平台】新派遣", "620502-2026-000001")

    assert Hook.received == [
        {
            "msgtype": "text",
            "text": {
                "content": "【网格平台】新派遣\n620502-2026-000001",
                "mentioned_mobile_list": ["13800001234"],
            },
        }
    ]


def test_the_webhook_refusing_or_unreachable_is_a_logged_failure(  # type: ignore[no-untyped-def]
    hook_url, urban_handler, caplog
):
    Hook.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    refused = notify.deliver(notify.WebhookBackend(hook_url), urban_handler, "s", "b")
    unreachable = notify.deliver(
        notify.WebhookBackend("http://127.0.0.1:9/", timeout=0.5), urban_handler, "s", "b"
    )
    unset = notify.deliver(notify.WebhookBackend(""), urban_handler, "s", "b")

    assert (refused, unreachable, unset) == (False, False, False)
    assert "errcode 93000" in caplog.text
    assert "secret" not in caplog.text  # the robot's key is never logged


def dispatched_at(worker, dispatcher, point, moment):  # type: ignore[no-untyped-def]
    case = reported(worker, point, now=moment)
    step(case, dispatcher, Action.REGISTER, now=moment)
    return step(case, dispatcher, Action.DISPATCH, now=moment)


def test_the_lead_unit_is_told_once_when_the_deadline_is_a_few_working_hours_away(  # type: ignore[no-untyped-def]
    grid_worker_a,
    dispatcher,
    urban_handler,
    grid_point,
    recording,
    django_capture_on_commit_callbacks,
):
    case = dispatched_at(grid_worker_a, dispatcher, grid_point, at("2026-11-25T09:00"))
    assert case.due_at == at("2026-12-02T18:00")  # 5 working days, the start day not counted
    urban = handlers_of(urban_handler.memberships.get().department)
    recording.clear()  # the assignment

    with django_capture_on_commit_callbacks(execute=True):
        assert notify.due_soon_notify(now=at("2026-12-01T16:00")) == 0  # 1 day + 2 hours away
        assert notify.due_soon_notify(now=at("2026-12-02T13:00")) == len(urban)  # 3.5 hours
        assert notify.due_soon_notify(now=at("2026-12-02T15:00")) == 0  # told already
        assert notify.due_soon_notify(now=at("2026-12-02T19:00")) == 0  # past: supervision's

    assert told(case, "due_soon") == urban
    assert sorted(username for username, _s, _b in recording) == sorted(urban)
    assert "2026-12-02 18:00" in recording[0][2]


def test_the_due_soon_horizon_counts_working_hours_only(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, grid_point
):
    case = dispatched_at(grid_worker_a, dispatcher, grid_point, at("2026-11-25T09:00"))

    # Friday evening: 4 working hours later is Monday 12:00, still short of Wednesday 18:00.
    assert notify.due_soon_notify(now=at("2026-11-27T18:00")) == 0
    urban = handlers_of(urban_handler.memberships.get().department)
    assert notify.due_soon_notify(now=at("2026-12-02T08:00"), hours=8) == len(urban)
    assert told(case, "due_soon") == urban


def unread(user, kind: str, case: Case | None, created: datetime, **fields):  # type: ignore[no-untyped-def]
    return Notification.objects.create(
        user=user, case=case, kind=kind, message=f"{kind} 消息", created_at=created, **fields
    )


def test_the_digest_sends_one_message_per_person_counting_kinds_and_marks_them(  # type: ignore[no-untyped-def]
    grid_worker_a, dispatcher, urban_handler, grid_point, recording
):
    case = dispatched_at(grid_worker_a, dispatcher, grid_point, at("2026-11-25T09:00"))
    Notification.objects.all().delete()
    morning = at("2026-11-26T08:00")
    for kind in ("for_unit", "for_unit", "supervised_yellow"):
        unread(urban_handler, kind, case, morning)
    unread(urban_handler, "for_unit", case, morning, read_at=morning)  # read: not digested
    unread(dispatcher, "needs_dispatcher", None, morning)

    assert notify.digest_send(now=at("2026-11-26T18:00")) == 2

    by_user = {username: (subject, body) for username, subject, body in recording}
    subject, body = by_user["um_handler"]
    assert "3" in subject
    with translation.override(settings.LANGUAGE_CODE):
        assert _("%(kind)s: %(count)s") % {"kind": _("For your unit"), "count": 2} in body
    assert case.number in body
    assert not Notification.objects.filter(
        user=urban_handler, read_at__isnull=True, digested_at__isnull=True
    ).exists()
    assert Notification.objects.filter(read_at__isnull=False, digested_at__isnull=True).count() == 1


def test_a_second_digest_the_same_day_sends_nothing_and_the_next_day_sends_what_is_new(  # type: ignore[no-untyped-def]
    urban_handler, recording
):
    unread(urban_handler, "for_unit", None, at("2026-11-26T08:00"))
    assert notify.digest_send(now=at("2026-11-26T18:00")) == 1
    unread(urban_handler, "closed", None, at("2026-11-26T19:00"))

    assert notify.digest_send(now=at("2026-11-26T20:00")) == 0
    assert notify.digest_send(now=at("2026-11-27T18:00")) == 1
    assert notify.digest_send(now=at("2026-11-28T18:00")) == 0  # nothing new
    assert len(recording) == 2


@override_settings(WANGGE_NOTIFY_BACKEND="wangge.cases.tests.test_notify.FailingBackend")
def test_a_digest_that_could_not_be_sent_is_tried_again(urban_handler):  # type: ignore[no-untyped-def]
    unread(urban_handler, "for_unit", None, at("2026-11-26T08:00"))

    assert notify.digest_send(now=at("2026-11-26T18:00")) == 0

    assert Notification.objects.filter(user=urban_handler, digested_at__isnull=True).count() == 1


def test_the_digest_names_at_most_ten_cases():
    rows = [
        Notification(kind="for_unit", case=Case(number=f"620502-2026-{n:06d}")) for n in range(12)
    ]

    _subject, body = notify.digest_text(rows)

    assert "620502-2026-000009" in body
    assert "620502-2026-000010" not in body
    assert "2" in body.splitlines()[-1]  # … and 2 more


# --- the inbox --------------------------------------------------------------------------------


def test_the_inbox_lists_unread_first_and_pages(
    client, urban_handler, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    old = unread(urban_handler, "for_unit", None, at("2026-11-20T08:00"))
    read = unread(
        urban_handler, "closed", None, at("2026-11-26T08:00"), read_at=at("2026-11-26T09:00")
    )
    for day in range(1, 32):
        unread(urban_handler, "assigned", None, at("2026-10-01T08:00") + timedelta(hours=day))
    client.force_login(urban_handler)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:notifications"))

    rows = [row for row, _label in response.context["rows"]]
    assert response.status_code == 200
    assert rows[0] == old  # the newest unread first, the read one after all unread
    assert read not in rows and response.context["page"].paginator.num_pages == 2
    assert response.context["unread"] == 32
    last = client.get(reverse("cases:notifications"), {"page": 2})
    assert [row for row, _label in last.context["rows"]][-1] == read


def test_marking_one_read_and_all_read(client, urban_handler):  # type: ignore[no-untyped-def]
    first = unread(urban_handler, "for_unit", None, at("2026-11-20T08:00"))
    unread(urban_handler, "closed", None, at("2026-11-21T08:00"))
    client.force_login(urban_handler)

    response = client.post(reverse("cases:notification_read"), {"notification": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert notify.unread_count(urban_handler) == 1

    client.post(reverse("cases:notifications_read_all"))
    assert notify.unread_count(urban_handler) == 0


def test_someone_elses_notification_is_not_found_and_stays_unread(  # type: ignore[no-untyped-def]
    client, urban_handler, dispatcher
):
    theirs = unread(dispatcher, "needs_dispatcher", None, at("2026-11-20T08:00"))
    client.force_login(urban_handler)

    response = client.post(reverse("cases:notification_read"), {"notification": theirs.pk})
    bad = client.post(reverse("cases:notification_read"), {"notification": "x"})
    client.post(reverse("cases:notifications_read_all"))

    assert (response.status_code, bad.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, urban_handler):  # type: ignore[no-untyped-def]
    mine = unread(urban_handler, "for_unit", None, at("2026-11-20T08:00"))
    client.force_login(urban_handler)

    response = client.get(reverse("cases:notification_read"), {"notification": mine.pk})
    client.get(reverse("cases:notifications_read_all"))

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:notifications")
    assert notify.unread_count(urban_handler) == 1


def test_the_unread_count_is_counted_once_and_only_when_used(  # type: ignore[no-untyped-def]
    rf, urban_handler, django_assert_num_queries
):
    unread(urban_handler, "for_unit", None, at("2026-11-20T08:00"))
    request = rf.get("/")
    request.user = urban_handler

    with django_assert_num_queries(0):
        count = unread_notifications(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert count() == 1
        assert count() == 1


def test_an_unreachable_robot_costs_one_timeout_per_batch(urban_handler, dispatcher):  # type: ignore[no-untyped-def]
    channel = notify.WebhookBackend("http://127.0.0.1:9/", timeout=0.5)

    assert not notify.deliver(channel, urban_handler, "s", "b")
    assert channel.unreachable
    with pytest.raises(notify.DeliveryFailed, match="unreachable"):
        channel.send(dispatcher, "s", "b")


def test_the_sweep_and_digest_commands_print_what_they_did(urban_handler, recording):  # type: ignore[no-untyped-def]
    unread(urban_handler, "for_unit", None, at("2026-11-20T08:00"))
    out = io.StringIO()

    call_command("cases_sweep", stdout=out)
    call_command("cases_digest", stdout=out)

    assert "supervision raised on" in out.getvalue()
    assert "1 digests sent" in out.getvalue()
    assert [username for username, _s, _b in recording] == ["um_handler"]
