"""Hearings and consultations: registration (one per mobile, never beyond the seats),
moderated comments, the staff's pages (scope, permission, optimistic lock) and moderation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import TOWNSHIP, make_persona, resident_signed_in
from wangge.audit.models import AuditEntry
from wangge.portal import services_hearings as hearings
from wangge.portal.models import Hearing, HearingComment, HearingRegistration, Moderation
from wangge.portal.tests.outsider_urls_notices import OUTSIDER_URLS

FAR = "620502103"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_hearing(user, **overrides) -> Hearing:  # type: ignore[no-untyped-def]
    now = timezone.now()
    values = {
        "region_code": TOWNSHIP,
        "kind": "hearing",
        "title": "垃圾站选址听证会",
        "agenda": "议程：选址说明、居民发言",
        "organiser": "乡政府",
        "place": "乡政府会议室",
        "held_at": now + 48 * HOUR,
        "seats": 10,
        "registration_closes_at": now + 24 * HOUR,
        "comments_open_at": now - HOUR,
        "comments_close_at": now + 24 * HOUR,
        "created_by": user,
        "created_at": now,
    }
    values.update(overrides)
    return Hearing.objects.create(**values)


def comment_of(
    hearing: Hearing, body: str = "建议换址", phone: str = "13900000031"
) -> HearingComment:
    return HearingComment.objects.create(
        hearing=hearing, phone=phone, body=body, created_at=timezone.now()
    )


@pytest.mark.django_db
def test_a_resident_registers_once_and_gets_a_text(client, dispatcher, sms_outbox):
    hearing = make_hearing(dispatcher)
    resident_signed_in(client, "13900000011")
    url = reverse("portal:hearing_register", args=[hearing.pk])

    assert client.post(url, {"name": "王五"}).status_code == 302
    again = client.post(url, {"name": "王五"})

    assert again.status_code == 400
    assert "already registered" in again.context["errors"]["name"][0]
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 1
    assert sms_outbox[-1][0] == "13900000011" and hearing.title in sms_outbox[-1][1]
    page = client.get(reverse("portal:hearing", args=[hearing.pk]))
    assert page.context["seats_left"] == 9


@pytest.mark.django_db
def test_the_last_seat_goes_to_one_resident_only(client, dispatcher):
    hearing = make_hearing(dispatcher, seats=1)
    url = reverse("portal:hearing_register", args=[hearing.pk])

    first = resident_signed_in(client, "13900000012").post(url, {"name": "甲"})
    second = resident_signed_in(client, "13900000013").post(url, {"name": "乙"})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "full" in second.context["errors"]["name"][0]
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 1


@pytest.mark.django_db
def test_registration_is_refused_when_closed_or_nameless(client, dispatcher):
    closed = make_hearing(dispatcher, registration_closes_at=timezone.now() - HOUR)
    open_one = make_hearing(dispatcher)
    resident_signed_in(client, "13900000014")

    refused = client.post(reverse("portal:hearing_register", args=[closed.pk]), {"name": "甲"})
    nameless = client.post(reverse("portal:hearing_register", args=[open_one.pk]), {"name": ""})

    assert refused.status_code == 400 and "not open" in refused.context["errors"]["name"][0]
    assert nameless.status_code == 400
    assert HearingRegistration.objects.count() == 0


@pytest.mark.django_db
def test_registering_needs_a_proved_mobile(client, dispatcher):
    hearing = make_hearing(dispatcher)

    response = client.post(reverse("portal:hearing_register", args=[hearing.pk]), {"name": "甲"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:verify"))
    assert HearingRegistration.objects.count() == 0


@pytest.mark.django_db
def test_a_comment_waits_for_moderation_before_it_is_public(client, dispatcher):
    hearing = make_hearing(dispatcher)
    resident_signed_in(client, "13900000015")

    response = client.post(
        reverse("portal:hearing_comment", args=[hearing.pk]),
        {"body": "<script>alert(1)</script> 建议换址", "signed_as": "老王"},
        follow=True,
    )

    assert "after review" in response.content.decode()
    stored = HearingComment.objects.get()
    assert stored.moderation == Moderation.PENDING
    assert stored.body.startswith("<script>")
    anonymous = client.__class__()
    assert (
        "建议换址"
        not in anonymous.get(reverse("portal:hearing", args=[hearing.pk])).content.decode()
    )

    HearingComment.objects.filter(pk=stored.pk).update(moderation=Moderation.PUBLISHED)
    text = anonymous.get(reverse("portal:hearing", args=[hearing.pk])).content.decode()
    assert "建议换址" in text and "老王" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert "13900000015" not in text


@pytest.mark.parametrize(
    "window, words",
    [
        ({"comments_open_at": None, "comments_close_at": None}, "closed"),
        ({"comments_close_at": timezone.now() - HOUR}, "closed"),
        ({"comments_open_at": timezone.now() + HOUR}, "not open yet"),
        ({"concluded_at": timezone.now()}, "closed"),
    ],
)
@pytest.mark.django_db
def test_a_comment_outside_the_window_is_refused(client, dispatcher, window, words):
    hearing = make_hearing(dispatcher, **window)
    resident_signed_in(client, "13900000016")

    response = client.post(reverse("portal:hearing_comment", args=[hearing.pk]), {"body": "意见"})

    assert response.status_code == 400
    assert words in response.context["errors"]["body"][0]
    assert HearingComment.objects.count() == 0


@pytest.mark.django_db
def test_comments_are_limited_per_mobile_and_day(client, dispatcher):
    hearing = make_hearing(dispatcher)
    resident_signed_in(client, "13900000017")
    url = reverse("portal:hearing_comment", args=[hearing.pk])

    for number in range(hearings.COMMENTS_PER_DAY):
        assert client.post(url, {"body": f"意见{number}"}).status_code == 302
    refused = client.post(url, {"body": "再一条"})

    assert refused.status_code == 400 and "today" in refused.context["errors"]["body"][0]
    assert HearingComment.objects.count() == hearings.COMMENTS_PER_DAY


@pytest.mark.django_db
def test_an_empty_or_overlong_comment_is_refused(client, dispatcher):
    hearing = make_hearing(dispatcher)
    resident_signed_in(client, "13900000018")
    url = reverse("portal:hearing_comment", args=[hearing.pk])

    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "x" * 4001}).status_code == 400
    assert client.post(url, {"body": "ok", "signed_as": "x" * 33}).status_code == 400
    assert HearingComment.objects.count() == 0


@pytest.mark.django_db
def test_the_public_list_puts_open_ones_first_and_shows_the_outcome(client, dispatcher):
    concluded = make_hearing(
        dispatcher,
        title="已结束",
        concluded_at=timezone.now(),
        outcome="维持原址",
        reasons="多数同意",
    )
    open_one = make_hearing(dispatcher, title="进行中")
    Hearing.objects.filter(pk=open_one.pk).update(created_at=timezone.now() - 100 * HOUR)

    response = client.get(reverse("portal:hearings"))

    listed = [item["hearing"] for item in response.context["items"]]
    assert listed.index(open_one) < listed.index(concluded)
    assert "维持原址" in response.content.decode()
    page = client.get(reverse("portal:hearing", args=[concluded.pk])).content.decode()
    assert "维持原址" in page and "多数同意" in page


@pytest.mark.django_db
def test_a_dispatcher_announces_a_hearing(client, dispatcher):
    client.force_login(dispatcher)
    now = timezone.localtime()
    data = {
        "region_code": TOWNSHIP,
        "kind": "consultation",
        "title": "停车规划征求意见",
        "agenda": "议程",
        "organiser": "乡政府",
        "place": "会议室",
        "held_at": (now + 48 * HOUR).strftime("%Y-%m-%dT%H:%M"),
        "seats": "5",
        "registration_closes_at": (now + 24 * HOUR).strftime("%Y-%m-%dT%H:%M"),
        "comments_open_at": now.strftime("%Y-%m-%dT%H:%M"),
        "comments_close_at": (now + 24 * HOUR).strftime("%Y-%m-%dT%H:%M"),
    }

    response = client.post(reverse("portal:hearing_new"), data)

    assert response.status_code == 302
    assert Hearing.objects.get().seats == 5
    assert AuditEntry.objects.filter(action="portal.hearing_announce").count() == 1
    assert "停车规划" in client.get(reverse("portal:hearing_manage")).content.decode()

    backwards = dict(data, comments_close_at=data["comments_open_at"], title="反了")
    refused = client.post(reverse("portal:hearing_new"), backwards)
    assert (
        refused.status_code == 400
        and "close after" in refused.context["errors"]["comments_close_at"][0]
    )
    far = client.post(reverse("portal:hearing_new"), dict(data, region_code=FAR, title="外乡"))
    assert far.status_code == 400 and far.context["errors"]["region_code"]
    assert Hearing.objects.count() == 1


@pytest.mark.django_db
def test_staff_record_and_conclude_with_an_optimistic_lock(client, dispatcher):
    hearing = make_hearing(dispatcher)
    HearingRegistration.objects.create(
        hearing=hearing, phone="13900000019", name="张三丰", created_at=timezone.now()
    )
    client.force_login(dispatcher)
    url = reverse("portal:hearing_edit", args=[hearing.pk])

    page = client.get(url).content.decode()
    assert "139****0019" in page and "张**" in page and "13900000019" not in page

    fields = {
        "version": "1",
        "minutes": "会议纪要",
        "expert_review": "",
        "outcome": "",
        "reasons": "",
    }
    assert client.post(url, fields).status_code == 302
    stale = client.post(url, dict(fields, minutes="旧版本覆盖"))
    assert stale.status_code == 409 and "Someone else" in stale.context["errors"]["form"][0]
    hearing.refresh_from_db()
    assert hearing.minutes == "会议纪要" and hearing.version == 2

    unreasoned = client.post(url, dict(fields, version="2", conclude="1"))
    assert unreasoned.status_code == 400
    concluded = client.post(
        url, dict(fields, version="2", outcome="维持", reasons="多数同意", conclude="1")
    )
    assert concluded.status_code == 302
    hearing.refresh_from_db()
    assert hearing.concluded_at is not None and hearing.outcome == "维持"
    assert AuditEntry.objects.filter(action="portal.hearing_conclude").count() == 1


@pytest.mark.django_db
def test_a_moderator_publishes_or_withholds_a_comment(client, dispatcher):
    hearing = make_hearing(dispatcher)
    first, second = comment_of(hearing, "同意"), comment_of(hearing, "反对")
    client.force_login(dispatcher)

    queue = client.get(reverse("portal:comment_moderation")).content.decode()
    assert "同意" in queue and "反对" in queue

    client.post(reverse("portal:moderate_comment", args=[first.pk]), {"action": "publish"})
    nameless = client.post(
        reverse("portal:moderate_comment", args=[second.pk]), {"action": "withhold"}
    )
    assert nameless.status_code == 400
    client.post(
        reverse("portal:moderate_comment", args=[second.pk]), {"action": "withhold", "note": "辱骂"}
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.moderation == Moderation.PUBLISHED and first.moderated_by == dispatcher
    assert second.moderation == Moderation.WITHHELD and second.moderation_note == "辱骂"
    assert AuditEntry.objects.filter(action__startswith="portal.comment_").count() == 2


@pytest.mark.parametrize("body", ["请打13912345678联系我", "我的身份证11010519491231002X"])
@pytest.mark.django_db
def test_a_comment_with_a_mobile_or_identity_number_may_not_be_published(client, dispatcher, body):
    item = comment_of(make_hearing(dispatcher), body)
    client.force_login(dispatcher)

    response = client.post(
        reverse("portal:moderate_comment", args=[item.pk]), {"action": "publish"}
    )

    assert response.status_code == 400
    assert "may not be published" in response.context["errors"]["note"][0]
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


@pytest.mark.django_db
def test_staff_pages_refuse_without_the_capability(client, dispatcher):
    hearing = make_hearing(dispatcher)
    item = comment_of(hearing)
    worker = make_persona("t_hearing_worker", "grid_worker", region="620502001001001")
    client.force_login(worker)

    for url in (
        reverse("portal:hearing_manage"),
        reverse("portal:hearing_new"),
        reverse("portal:hearing_edit", args=[hearing.pk]),
        reverse("portal:comment_moderation"),
        reverse("portal:moderate_comment", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403, url
    client.post(reverse("portal:moderate_comment", args=[item.pk]), {"action": "publish"})
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


@pytest.mark.django_db
def test_staff_reach_only_hearings_and_comments_of_their_scope(client, dispatcher, outsider):
    far = make_hearing(outsider, region_code=FAR, title="外乡听证")
    item = comment_of(far, "外乡意见")
    client.force_login(dispatcher)

    assert client.get(reverse("portal:hearing_edit", args=[far.pk])).status_code == 404
    fields = {"version": "1", "minutes": "x", "outcome": "o", "reasons": "r", "conclude": "1"}
    assert client.post(reverse("portal:hearing_edit", args=[far.pk]), fields).status_code == 404
    assert "外乡" not in client.get(reverse("portal:hearing_manage")).content.decode()
    assert "外乡意见" not in client.get(reverse("portal:comment_moderation")).content.decode()
    response = client.post(
        reverse("portal:moderate_comment", args=[item.pk]), {"action": "publish"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    far.refresh_from_db()
    assert item.moderation == Moderation.PENDING and far.concluded_at is None


@pytest.mark.django_db
def test_unknown_hearings_and_documents_are_not_found(client, dispatcher):
    hearing = make_hearing(dispatcher)

    assert client.get(reverse("portal:hearing", args=[hearing.pk + 1])).status_code == 404
    assert client.get(reverse("portal:hearing_document", args=[hearing.pk, 1])).status_code == 404


@pytest.mark.parametrize("name", sorted(OUTSIDER_URLS))
@pytest.mark.django_db
def test_the_outsider_urls_answer_the_dispatcher_not_found(client, dispatcher, outsider, name):
    persona, url_for = OUTSIDER_URLS[name]
    assert persona == "dispatcher"
    client.force_login(dispatcher)
    url = url_for(outsider)

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "action": "publish"}).status_code == 404


@pytest.mark.django_db
def test_a_hearing_document_is_served_from_its_hearing_only(client, dispatcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wangge.portal.tests.test_notices import pdf_bytes

    hearing = hearings.create(
        dispatcher,
        hearings.HearingInput(
            region_code=TOWNSHIP, kind="expert", title="论证", agenda="议程", organiser="乡政府"
        ),
        [SimpleUploadedFile("方案.pdf", pdf_bytes())],
    )
    other = make_hearing(dispatcher)
    document = hearing.documents.get()

    served = client.get(reverse("portal:hearing_document", args=[hearing.pk, document.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert "方案.pdf" in client.get(reverse("portal:hearing", args=[hearing.pk])).content.decode()
    wrong = client.get(reverse("portal:hearing_document", args=[other.pk, document.pk]))
    assert wrong.status_code == 404


@pytest.mark.skipif(
    not __import__("os").environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two real concurrent transactions need PostgreSQL (SQLite serialises writers)",
)
@pytest.mark.django_db(transaction=True)
def test_two_last_seat_registrations_at_once_give_one_seat(dispatcher):
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection

    hearing = make_hearing(dispatcher, seats=1)
    start = threading.Barrier(2)
    results: list[str] = []

    def attempt(phone: str) -> None:
        start.wait()
        try:
            hearings.register(hearing.pk, phone, "甲")
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in ("13900000021", "13900000022")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["ok", "refused"]
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 1


@pytest.mark.django_db
def test_a_fake_document_on_a_hearing_saves_nothing(client, dispatcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(dispatcher)
    data = {
        "region_code": TOWNSHIP,
        "kind": "expert",
        "title": "论证",
        "agenda": "议程",
        "organiser": "乡政府",
        "seats": "0",
        "documents": [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")],
    }

    response = client.post(reverse("portal:hearing_new"), data)

    assert response.status_code == 400
    assert "neither a PDF" in response.context["errors"]["documents"][0]
    assert Hearing.objects.count() == 0
