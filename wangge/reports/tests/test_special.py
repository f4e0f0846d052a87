"""Special major-situation reports: filing sends them up the chain at once, each level
acknowledges, and those not acknowledged in time escalate — at frozen moments."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import override_settings
from django.utils import translation

from conftest import make_persona
from wangge.accounts.models import User
from wangge.audit.models import AuditEntry
from wangge.cases.models import Notification
from wangge.reports import special
from wangge.reports.models import Acknowledgement, SpecialReport

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
VILLAGE, TOWNSHIP, DISTRICT = "620502001001", "620502001", "620502"
RECORDING = "wangge.reports.tests.test_special.RecordingBackend"


class RecordingBackend:
    sent: list[tuple[str, str, str]] = []

    def send(self, user: Any, subject: str, body: str) -> None:
        self.sent.append((user.username, subject, body))


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Messages are checked in the English of their msgids."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def recording(db):  # type: ignore[no-untyped-def]
    Notification.objects.all().delete()
    RecordingBackend.sent = []
    with override_settings(WANGGE_NOTIFY_BACKEND=RECORDING):
        yield RecordingBackend.sent


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def cadre(db):  # type: ignore[no-untyped-def]
    return User.objects.get(username="villagecadre")


def filed(actor: Any, now: str = "2026-12-10T09:00", **changes: Any) -> SpecialReport:
    data = special.SpecialInput(VILLAGE, "村口聚集", "约三十人聚集在村委会门口。")
    for key, value in changes.items():
        setattr(data, key, value)
    return special.special_report_file(actor=actor, data=data, now=at(now))


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_a_filed_report_goes_at_once_to_the_township_and_the_district(
    cadre, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = filed(cadre)

    acks = {ack.region_code: ack for ack in report.acknowledgements.all()}
    assert set(acks) == {TOWNSHIP, DISTRICT}
    assert all(ack.due_at == at("2026-12-10T11:00") for ack in acks.values())
    # The township's dispatcher and leader, the district's administrator and leader.
    assert told("special_report") == {"dispatcher", "townshipleader", "districtadmin", "leader"}
    assert {name for name, _subject, _body in recording} == told("special_report")
    assert "村口聚集" in recording[0][2]
    assert AuditEntry.objects.filter(action="reports.special_file").count() == 1


@override_settings(WANGGE_SPECIAL_ACK_HOURS=0.5)
def test_the_time_to_acknowledge_is_a_setting(cadre):
    report = filed(cadre)

    assert {ack.due_at for ack in report.acknowledgements.all()} == {at("2026-12-10T09:30")}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": " "}, "title", "title"),
        ({"title": "长" * 101}, "title", "too long"),
        ({"text": ""}, "text", "Describe"),
        ({"text": "长" * 4001}, "text", "too long"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_saved(cadre, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        filed(cadre, **changes)

    assert words in " ".join(refused.value.message_dict[field])
    assert not SpecialReport.objects.exists()
    assert not Notification.objects.exists()


def test_a_report_for_a_unit_outside_ones_area_is_not_found(cadre):
    with pytest.raises(Http404):
        filed(cadre, region_code="620502103200")
    assert not SpecialReport.objects.exists()


def test_the_district_itself_files_no_special_report(district_admin):
    with pytest.raises(ValidationError):
        filed(district_admin, region_code=DISTRICT)


def test_a_leader_cannot_file_one(leader):
    with pytest.raises(PermissionDenied):
        filed(leader)


def test_a_township_dispatcher_acknowledges_for_the_township(cadre):
    report = filed(cadre)
    dispatcher = User.objects.get(username="dispatcher")

    special.acknowledgement_acknowledge(
        actor=dispatcher, report=report, level_code=TOWNSHIP, now=at("2026-12-10T09:20")
    )

    ack = report.acknowledgements.get(region_code=TOWNSHIP)
    assert (ack.acknowledged_by, ack.acknowledged_at) == (dispatcher, at("2026-12-10T09:20"))
    assert report.acknowledgements.get(region_code=DISTRICT).acknowledged_at is None
    assert AuditEntry.objects.filter(action="reports.special_acknowledge").count() == 1


def test_nobody_acknowledges_for_another_level_or_twice(cadre):
    report = filed(cadre)
    dispatcher = User.objects.get(username="dispatcher")

    with pytest.raises(ValidationError) as other_level:
        special.acknowledgement_acknowledge(actor=dispatcher, report=report, level_code=DISTRICT)
    special.acknowledgement_acknowledge(actor=dispatcher, report=report, level_code=TOWNSHIP)
    with pytest.raises(ValidationError) as twice:
        special.acknowledgement_acknowledge(actor=dispatcher, report=report, level_code=TOWNSHIP)
    with pytest.raises(ValidationError) as unknown:
        special.acknowledgement_acknowledge(actor=dispatcher, report=report, level_code="x")

    assert "your own post" in " ".join(other_level.value.messages)
    assert "already" in " ".join(twice.value.messages)
    assert "does not go" in " ".join(unknown.value.messages)
    assert report.acknowledgements.filter(acknowledged_at__isnull=False).count() == 1


def test_acknowledging_needs_the_permission_and_the_place(cadre, outsider):
    report = filed(cadre)
    far_dispatcher = make_persona("t_far_dispatcher", "dispatcher", region="620502103")

    with pytest.raises(PermissionDenied):
        special.acknowledgement_acknowledge(actor=cadre, report=report, level_code=TOWNSHIP)
    with pytest.raises(Http404):
        special.acknowledgement_acknowledge(
            actor=far_dispatcher, report=report, level_code=TOWNSHIP
        )


def test_nothing_escalates_before_the_deadline(cadre):
    filed(cadre)

    assert special.special_escalate(at("2026-12-10T10:59")) == 0
    assert not Acknowledgement.objects.filter(escalated_at__isnull=False).exists()
    assert not told("special_escalated")


def test_after_the_deadline_each_level_not_acknowledged_escalates_once(cadre):
    report = filed(cadre)
    dispatcher = User.objects.get(username="dispatcher")
    special.acknowledgement_acknowledge(
        actor=dispatcher, report=report, level_code=TOWNSHIP, now=at("2026-12-10T09:30")
    )

    assert special.special_escalate(at("2026-12-10T11:01")) == 1
    assert special.special_escalate(at("2026-12-10T12:00")) == 0

    district = report.acknowledgements.get(region_code=DISTRICT)
    assert district.escalated_at == at("2026-12-10T11:01")
    assert report.acknowledgements.get(region_code=TOWNSHIP).escalated_at is None
    # The district did not acknowledge: its leaders are told.
    assert told("special_escalated") == {"leader"}


def test_a_township_not_acknowledging_escalates_to_the_district(cadre):
    report = filed(cadre)
    admin = User.objects.get(username="districtadmin")
    special.acknowledgement_acknowledge(
        actor=admin, report=report, level_code=DISTRICT, now=at("2026-12-10T09:10")
    )

    call_command("reports_escalate", "--at", "2026-12-10T11:30:00+08:00")

    assert report.acknowledgements.get(region_code=TOWNSHIP).escalated_at == at("2026-12-10T11:30")
    assert told("special_escalated") == {"districtadmin", "leader"}
    assert AuditEntry.objects.filter(action="reports.special_escalate").count() == 1


def test_a_report_is_seen_by_the_levels_above_and_its_own_unit_only(cadre, dispatcher, outsider):
    report = filed(cadre)
    far_dispatcher = make_persona("t_far_dispatcher", "dispatcher", region="620502103")

    assert list(special.special_reports_visible_to(dispatcher)) == [report]
    assert list(special.special_reports_visible_to(cadre)) == [report]
    assert list(special.special_reports_visible_to(far_dispatcher)) == []
    with pytest.raises(Http404):
        special.special_report_get_for(far_dispatcher, report.pk)
