"""Public notices: the public list and page (masked entries, 404 for withdrawn and future
ones), and the staff's pages to publish and withdraw within their scope."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from conftest import TOWNSHIP, make_persona
from wangge.audit.models import AuditEntry
from wangge.portal import services_notices as notices
from wangge.portal.models import Notice, NoticeDocument, NoticeEntry

FAR = "620502103"


@pytest.fixture(autouse=True)
def english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


ID_NUMBER = "11010519491231002X"
TODAY = datetime.date.today


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def make_notice(user, **overrides) -> Notice:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    values = {
        "region_code": TOWNSHIP,
        "kind": "welfare",
        "title": "低保公示",
        "body": "以下家庭拟纳入最低生活保障",
        "issuer": "乡民政办",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=6),
        "created_by": user,
        "created_at": timezone.now(),
    }
    values.update(overrides)
    return Notice.objects.create(**values)


def form_data(**overrides) -> dict[str, str]:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "region_code": TOWNSHIP,
        "kind": "welfare",
        "title": "2026年12月低保公示",
        "body": "拟纳入低保家庭如下，如有异议请反映。",
        "issuer": "乡民政办",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=6)).isoformat(),
        "objections_to": "乡民政办 0938-1234567",
        "entries": f"张三丰,{ID_NUMBER},3人 每月800元\n李四,,2人",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_public_page_shows_entries_masked(client, dispatcher):
    notice = make_notice(dispatcher)
    NoticeEntry.objects.create(notice=notice, position=1, name="张三丰", id_number=ID_NUMBER)

    response = client.get(reverse("portal:notice", args=[notice.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "张**" in text and "110105********002X" in text
    assert "张三丰" not in text and ID_NUMBER not in text


@pytest.mark.django_db
def test_withdrawn_and_future_notices_are_not_found(client, dispatcher):
    future = make_notice(dispatcher, starts_on=timezone.localdate() + datetime.timedelta(days=2))
    withdrawn = make_notice(dispatcher, withdrawn_at=timezone.now(), withdrawn_reason="错误")
    document = NoticeDocument.objects.create(
        notice=withdrawn,
        file="x.pdf",
        name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )

    assert client.get(reverse("portal:notice", args=[future.pk])).status_code == 404
    assert client.get(reverse("portal:notice", args=[withdrawn.pk])).status_code == 404
    document_url = reverse("portal:notice_document", args=[withdrawn.pk, document.pk])
    assert client.get(document_url).status_code == 404


@pytest.mark.django_db
def test_the_list_puts_current_notices_first_and_searches(client, dispatcher):
    today = timezone.localdate()
    ended = make_notice(
        dispatcher,
        title="旧公示",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=20),
    )
    current = make_notice(dispatcher, title="新公示", starts_on=today - datetime.timedelta(days=40))
    make_notice(dispatcher, title="外乡公示", region_code=FAR, kind="policy")

    listed = list(client.get(reverse("portal:notices")).context["page"])
    assert listed.index(current) < listed.index(ended)

    searched = client.get(reverse("portal:notices"), {"q": "旧"}).context["page"]
    assert list(searched) == [ended]
    by_township = client.get(reverse("portal:notices"), {"township": TOWNSHIP}).context["page"]
    assert {notice.title for notice in by_township} == {"旧公示", "新公示"}
    by_kind = client.get(reverse("portal:notices"), {"kind": "policy"}).context["page"]
    assert [notice.title for notice in by_kind] == ["外乡公示"]


@pytest.mark.django_db
def test_a_dispatcher_publishes_a_notice_with_a_document(client, dispatcher):
    client.force_login(dispatcher)
    data = form_data()
    data["documents"] = [
        SimpleUploadedFile("名单.pdf", pdf_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"),
    ]

    response = client.post(reverse("portal:notice_new"), data)

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.entries.count() == 2
    assert sorted(notice.documents.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert AuditEntry.objects.filter(action="portal.notice_publish").count() == 1
    document = notice.documents.get(content_type="application/pdf")
    served = client.get(reverse("portal:notice_document", args=[notice.pk, document.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF-")
    staff_list = client.get(reverse("portal:notice_manage")).content.decode()
    assert notice.title in staff_list


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"ends_on": "2020-01-01"}, "ends_on", "before the first day"),
        ({"title": ""}, "title", ""),
        ({"entries": "张三\n,110105194912310021,x"}, "entries", "Line 2"),
        ({"entries": "张三,12345,x"}, "entries", "Line 1"),
        ({"region_code": FAR}, "region_code", "may not publish"),
    ],
)
@pytest.mark.django_db
def test_bad_notice_input_saves_nothing(client, dispatcher, overrides, field, words):
    client.force_login(dispatcher)

    response = client.post(reverse("portal:notice_new"), form_data(**overrides))

    assert response.status_code == 400
    assert Notice.objects.count() == 0
    assert response.context["errors"][field]
    assert words in " ".join(response.context["errors"][field])


@pytest.mark.django_db
def test_a_welfare_notice_shorter_than_seven_days_is_refused(client, dispatcher):
    client.force_login(dispatcher)
    today = timezone.localdate()

    response = client.post(
        reverse("portal:notice_new"),
        form_data(ends_on=(today + datetime.timedelta(days=5)).isoformat()),
    )

    assert response.status_code == 400
    assert "at least 7 days" in response.context["errors"]["ends_on"][0]
    assert Notice.objects.count() == 0
    policy = client.post(
        reverse("portal:notice_new"),
        form_data(kind="policy", ends_on=(today + datetime.timedelta(days=1)).isoformat()),
    )
    assert policy.status_code == 302


@pytest.mark.parametrize(
    "upload, words",
    [
        (lambda: SimpleUploadedFile("fake.pdf", b"<script>alert(1)</script>"), "neither a PDF"),
        (lambda: SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 2**20)), "larger than"),
    ],
)
@pytest.mark.django_db
def test_a_fake_or_huge_document_saves_nothing(client, dispatcher, upload, words):
    client.force_login(dispatcher)
    data = form_data()
    data["documents"] = [upload()]

    response = client.post(reverse("portal:notice_new"), data)

    assert response.status_code == 400
    assert words in response.context["errors"]["documents"][0]
    assert Notice.objects.count() == 0 and NoticeDocument.objects.count() == 0


@pytest.mark.django_db
def test_a_50_mb_file_and_seven_files_are_refused_before_reading(dispatcher):
    class Huge:
        name = "huge.pdf"
        size = 50 * 2**20

        def read(self, *args: object) -> bytes:
            raise AssertionError("must not be read")

    data = notices.NoticeInput(
        region_code=TOWNSHIP,
        kind="policy",
        title="t",
        body="b",
        issuer="i",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    with pytest.raises(Exception, match="larger than 10 MB"):
        notices.create(dispatcher, data, [Huge()])
    seven = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(7)]
    with pytest.raises(Exception, match="At most 6"):
        notices.create(dispatcher, data, seven)
    assert Notice.objects.count() == 0


@pytest.mark.django_db
def test_script_text_is_stored_as_text_and_shown_escaped(client, dispatcher):
    notice = make_notice(dispatcher, title="<script>alert(1)</script>", body="'; DROP TABLE x;--")

    text = client.get(reverse("portal:notice", args=[notice.pk])).content.decode()

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "DROP TABLE" in text


@pytest.mark.django_db
def test_withdrawing_needs_a_reason_and_is_audited(client, dispatcher):
    notice = make_notice(dispatcher)
    client.force_login(dispatcher)
    url = reverse("portal:notice_withdraw", args=[notice.pk])

    client.post(url, {"reason": ""})
    notice.refresh_from_db()
    assert notice.withdrawn_at is None

    client.post(url, {"reason": "名单有误"})
    notice.refresh_from_db()
    assert notice.withdrawn_reason == "名单有误"
    assert AuditEntry.objects.filter(action="portal.notice_withdraw").count() == 1
    assert client.get(reverse("portal:notice", args=[notice.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_pages_refuse_without_the_capability(client):
    worker = make_persona("t_notice_worker", "grid_worker", region="620502001001001")
    client.force_login(worker)

    for url in (
        reverse("portal:notice_manage"),
        reverse("portal:notice_new"),
        reverse("portal:notice_withdraw", args=[1]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("portal:notice_withdraw", args=[1]), {"reason": "x"}).status_code == 403
    )


@pytest.mark.django_db
def test_staff_see_and_withdraw_only_notices_of_their_scope(client, dispatcher, outsider):
    far = make_notice(outsider, region_code=FAR, title="外乡公示")
    client.force_login(dispatcher)

    assert far.title not in client.get(reverse("portal:notice_manage")).content.decode()
    response = client.post(reverse("portal:notice_withdraw", args=[far.pk]), {"reason": "x"})
    assert response.status_code == 404
    far.refresh_from_db()
    assert far.withdrawn_at is None


@pytest.mark.django_db
def test_the_new_pages_offer_only_regions_within_scope(client, dispatcher):
    client.force_login(dispatcher)

    for name in ("portal:notice_new", "portal:hearing_new"):
        response = client.get(reverse(name))
        codes = [code for code, _ in response.context["form"].fields["region_code"].choices]
        assert response.status_code == 200
        assert TOWNSHIP in codes and all(code.startswith(TOWNSHIP) for code in codes)
        assert 'for="id_documents"' in response.content.decode()
