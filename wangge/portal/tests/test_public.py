from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from wangge.cases.models import Attachment, CaseEvent
from wangge.portal.models import PortalRequest
from wangge.portal.tests.factories_public import portal_request

pytestmark = pytest.mark.django_db


def detail(item: PortalRequest) -> str:
    return reverse("portal:public_detail", args=[item.case.number])


def photo_of(item: PortalRequest, stage: str = "report") -> Attachment:
    attachment = Attachment(
        case=item.case,
        extension="png",
        content_type="image/png",
        size=4,
        sha256="a" * 64,
        stage=stage,
    )
    attachment.file.save("x.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    return attachment


def test_list_shows_only_published_public_newest_first(client: Any) -> None:
    import datetime

    from django.utils import timezone

    old = portal_request(
        moderation="published", reported_at=timezone.now() - datetime.timedelta(days=3)
    )
    new = portal_request(moderation="published")
    pending = portal_request()
    withheld = portal_request(moderation="withheld")
    hidden = portal_request(moderation="published", public=False)
    body = client.get(reverse("portal:public_list")).content.decode()
    assert body.index(new.case.number) < body.index(old.case.number)
    for item in (pending, withheld, hidden):
        assert item.case.number not in body
    assert "幸福小区" not in body  # never the address
    assert "13900000001" not in body and "13912345678" not in body
    assert 'class="requests-map"' in body


def test_list_filters(client: Any) -> None:
    here = portal_request(moderation="published")
    far = portal_request(moderation="published", region_code="620502103200001", status="closed")
    body = client.get(reverse("portal:public_list"), {"township": "620502001"}).content.decode()
    assert here.case.number in body and far.case.number not in body
    body = client.get(reverse("portal:public_list"), {"state": "closed"}).content.decode()
    assert far.case.number in body and here.case.number not in body


@pytest.mark.parametrize(
    "query", [{"township": "<script>"}, {"state": "' OR 1=1"}, {"category": "x" * 50}]
)
def test_list_bad_filters_are_a_clear_message(client: Any, query: dict[str, str]) -> None:
    response = client.get(reverse("portal:public_list"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="filter-error"' in body and "<script>" not in body.split("</header>")[-1]


def test_detail_shows_moderated_text_and_public_timeline(client: Any, dispatcher: Any) -> None:
    from django.utils import timezone

    item = portal_request(moderation="published")
    CaseEvent.objects.create(
        case=item.case,
        at=timezone.now(),
        action="register",
        actor=dispatcher,
        actor_name="王调度",
        public=True,
    )
    CaseEvent.objects.create(
        case=item.case,
        at=timezone.now(),
        action="comment",
        note="内部",
        public=False,
        actor_name="李内部",
    )
    response = client.get(detail(item))
    body = response.content.decode()
    assert response.status_code == 200
    assert item.public_text in body
    assert "13912345678" not in body and "幸福小区" not in body
    assert "王调度" not in body and "李内部" not in body and "内部" not in body


@pytest.mark.parametrize("moderation", ["pending", "withheld"])
def test_detail_404_unless_published(client: Any, moderation: str) -> None:
    item = portal_request(moderation=moderation)
    assert client.get(detail(item)).status_code == 404


def test_detail_404_for_non_public_category(client: Any) -> None:
    item = portal_request(moderation="published", public=False)
    assert client.get(detail(item)).status_code == 404


def test_photo_only_when_photos_public_and_report_stage(client: Any) -> None:
    item = portal_request(moderation="published")
    report = photo_of(item)
    result = photo_of(item, stage="result")
    url = reverse("portal:public_photo", args=[item.case.number, report.pk])
    assert client.get(url).status_code == 404
    assert "public-photos" not in client.get(detail(item)).content.decode()
    PortalRequest.objects.filter(pk=item.pk).update(photos_public=True)
    assert client.get(url).status_code == 200
    assert url in client.get(detail(item)).content.decode()
    assert (
        client.get(reverse("portal:public_photo", args=[item.case.number, result.pk])).status_code
        == 404
    )
    other = portal_request(moderation="published")
    PortalRequest.objects.filter(pk=other.pk).update(photos_public=True)
    assert (
        client.get(reverse("portal:public_photo", args=[other.case.number, report.pk])).status_code
        == 404
    )
    pending = portal_request()
    mine = photo_of(pending)
    PortalRequest.objects.filter(pk=pending.pk).update(photos_public=True)
    assert (
        client.get(reverse("portal:public_photo", args=[pending.case.number, mine.pk])).status_code
        == 404
    )
