import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from wangge.audit.models import AuditEntry
from wangge.cases import calendar
from wangge.cases.deadlines import calendar_days, limit_end
from wangge.core.errors import EditConflict
from wangge.core.ids import identity_check_character
from wangge.legalaid import services
from wangge.legalaid.models import Application, Evidence, Hardship, Status
from wangge.legalaid.tests.factories import (
    OUTSIDE_GRID,
    image_upload,
    input_for,
    pdf_upload,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def counts() -> tuple[int, int, int]:
    return Application.objects.count(), Evidence.objects.count(), AuditEntry.objects.count()


def received(officer, **changes):  # type: ignore[no-untyped-def]
    return services.receive(actor=officer, data=input_for(**changes), now=MONDAY)


def valid_identity_number() -> str:
    first = "62050219900101001"
    return first + identity_check_character(first)


# --- receipt -------------------------------------------------------------------------------


def test_an_applicant_in_the_register_is_linked_not_copied(officer):
    from wangge.people.tests.factories import person_registered

    person = person_registered(region_code="620502001001001", name="李桂兰")
    linked = received(officer, applicant_id_number=person.id_number)
    unknown = received(officer, applicant_id_number=valid_identity_number())
    assert linked.applicant == person
    assert unknown.applicant is None


def test_an_application_is_received_with_its_evidence_a_number_and_a_decision_due(officer):
    before = AuditEntry.objects.count()

    application = services.receive(
        actor=officer,
        data=input_for(applicant_id_number=valid_identity_number()),
        evidence_files=[image_upload(), pdf_upload()],
        now=MONDAY,
    )

    assert re.fullmatch(r"LA-620502-2026-\d{4}", application.number)
    assert application.status == Status.RECEIVED
    assert application.version == 1
    assert application.applicant_id_number == valid_identity_number()
    due = application.decision_due_at
    assert due == limit_end(calendar_days(7), MONDAY, calendar.current())
    assert due.astimezone(SHANGHAI).date() == datetime.date(2026, 3, 9)
    kinds = sorted(application.evidence.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/png"]
    assert all(row.file.read() for row in application.evidence.all())
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "legalaid.receive"
    assert valid_identity_number() not in str(entry.details)


def test_numbers_follow_each_other_within_the_year(officer):
    first = received(officer)
    second = received(officer)

    assert int(second.number[-4:]) == int(first.number[-4:]) + 1
    assert second.number[:-4] == first.number[:-4]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applicant_name": " "}, "applicant_name"),
        ({"applicant_id_number": "620502199001010012"}, "applicant_id_number"),
        ({"applicant_phone": "12345"}, "applicant_phone"),
        ({"applicant_phone": ""}, "applicant_phone"),
        ({"matter_kind": "divorce"}, "matter_kind"),
        ({"matter": ""}, "matter"),
        ({"hardship": "rich"}, "hardship"),
        ({"hardship": Hardship.OTHER, "hardship_note": ""}, "hardship_note"),
        ({"region_code": "620502001"}, "region_code"),  # a township, not a village or grid
        ({"dispute_number": "620502-2026-999999"}, "dispute_number"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(officer, changes, field):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.receive(actor=officer, data=input_for(**changes), evidence_files=[image_upload()])

    assert field in refused.value.message_dict
    assert counts() == before


def test_a_place_outside_the_officers_township_is_refused(township_officer):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.receive(actor=township_officer, data=input_for(region_code=OUTSIDE_GRID))

    assert "region_code" in refused.value.message_dict
    assert counts() == before


def test_a_fifty_megabyte_file_is_refused_and_nothing_is_saved(officer):
    huge = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (50 * 2**20))
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.receive(
            actor=officer, data=input_for(), evidence_files=[image_upload(), huge], now=MONDAY
        )

    assert refused.value.message_dict["evidence"] == ["扫描件.pdf 超过 10 MB。"]
    assert counts() == before


def test_a_fake_image_is_refused_and_nothing_is_saved(officer):
    fake = SimpleUploadedFile("残疾人证.jpg", b"\xff\xd8\xff\xe0 this is not a JPEG at all")
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.receive(actor=officer, data=input_for(), evidence_files=[image_upload(), fake])

    assert refused.value.message_dict["evidence"] == [
        "残疾人证.jpg 既不是图片（JPEG、PNG 或 WebP），也不是 PDF。"
    ]
    assert counts() == before


def test_more_than_six_files_are_refused(officer):
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.receive(
            actor=officer, data=input_for(), evidence_files=[image_upload() for _ in range(7)]
        )

    assert "evidence" in refused.value.message_dict
    assert counts() == before


def test_a_viewer_without_the_handling_capability_cannot_receive(dispatcher):
    with pytest.raises(PermissionDenied):
        services.receive(actor=dispatcher, data=input_for())


# --- decision, assignment, closing --------------------------------------------------------


def test_a_granted_application_is_assigned_and_closed(officer):
    application = received(officer)

    application = services.decide(
        actor=officer, application=application, grant=True, reason="", version=1
    )
    assert (application.status, application.version) == (Status.GRANTED, 2)
    application = services.assign(
        actor=officer, application=application, provider="张律师（天水某律师事务所）", version=2
    )
    assert (application.status, application.version) == (Status.ASSIGNED, 3)
    application = services.close(
        actor=officer, application=application, outcome="调解结案，追回工资两万元。", version=3
    )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.version) == (Status.CLOSED, 4)
    assert stored.provider == "张律师（天水某律师事务所）"
    assert stored.decided_by == officer
    assert stored.closed_at is not None
    actions = AuditEntry.objects.filter(target_id=str(stored.pk)).values_list("action", flat=True)
    assert {"legalaid.decide", "legalaid.assign", "legalaid.close"} <= set(actions)


def test_a_refusal_needs_its_reason(officer):
    application = received(officer)

    with pytest.raises(ValidationError) as refused:
        services.decide(actor=officer, application=application, grant=False, reason=" ", version=1)

    assert "reason" in refused.value.message_dict
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED
    refusal = services.decide(
        actor=officer, application=application, grant=False, reason="收入超过标准", version=1
    )
    assert refusal.status == Status.REFUSED
    assert refusal.decision_reason == "收入超过标准"


def test_an_application_not_yet_granted_cannot_be_assigned(officer):
    application = received(officer)

    with pytest.raises(ValidationError):
        services.assign(actor=officer, application=application, provider="张律师", version=1)

    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.provider, stored.version) == (Status.RECEIVED, "", 1)


def test_a_refused_application_cannot_be_assigned_or_closed(officer):
    application = received(officer)
    services.decide(actor=officer, application=application, grant=False, reason="不符", version=1)

    with pytest.raises(ValidationError):
        services.assign(actor=officer, application=application, provider="张律师", version=2)
    with pytest.raises(ValidationError):
        services.close(actor=officer, application=application, outcome="结束", version=2)


def test_a_stale_version_is_a_conflict_and_writes_nothing(officer):
    application = received(officer)
    services.decide(actor=officer, application=application, grant=True, reason="", version=1)
    before = AuditEntry.objects.count()

    with pytest.raises(EditConflict, match="其他人刚刚修改了该申请"):
        services.decide(
            actor=officer, application=application, grant=False, reason="迟到", version=1
        )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.version, stored.decision_reason) == (Status.GRANTED, 2, "")
    assert AuditEntry.objects.count() == before


def test_a_viewer_without_the_handling_capability_cannot_decide(officer, dispatcher):
    application = received(officer)

    with pytest.raises(PermissionDenied):
        services.decide(actor=dispatcher, application=application, grant=True, reason="", version=1)


def test_a_dispute_case_within_reach_can_be_linked_and_one_outside_cannot(
    officer, township_officer, outsider
):
    from wangge.cases import services as cases
    from wangge.cases.services import ReportInput

    dispute = cases.report(
        outsider,
        ReportInput("D0101", "夫妻因赡养老人发生纠纷", region_code=OUTSIDE_GRID, address="村委会"),
    )
    assert dispute.kind == "dispute"

    application = received(officer, dispute_number=dispute.number)
    assert application.dispute == dispute

    with pytest.raises(ValidationError) as refused:
        services.receive(actor=township_officer, data=input_for(dispute_number=dispute.number))
    assert "dispute_number" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers")
def test_concurrent_numbers_never_collide() -> None:
    """Threads on their own connections commit for real (no flush: it would empty the demo
    district), under a district code no real application uses."""
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

    threads = [threading.Thread(target=take) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(set(numbers)) == 12
