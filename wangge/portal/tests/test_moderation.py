from typing import Any

import pytest
from django.urls import reverse

from wangge.audit.models import AuditEntry
from wangge.portal import services_moderation as moderation
from wangge.portal.models import Moderation, PortalRequest
from wangge.portal.tests.factories_public import portal_request

pytestmark = pytest.mark.django_db


def url(item: PortalRequest) -> str:
    return reverse("portal:moderate_request", args=[item.pk])


def test_queue_lists_pending_in_scope_oldest_first_masked(client: Any, dispatcher: Any) -> None:
    import datetime

    from django.utils import timezone

    older = portal_request(reported_at=timezone.now() - datetime.timedelta(days=2))
    newer = portal_request()
    far = portal_request(region_code="620502103200001")
    done = portal_request(moderation="published")
    client.force_login(dispatcher)
    response = client.get(reverse("portal:moderation"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(f"pending-{older.pk}") < body.index(f"pending-{newer.pk}")
    assert f"pending-{far.pk}" not in body
    assert f"pending-{done.pk}" not in body
    assert "139****0001" in body and "13900000001" not in body


def test_queue_and_decision_need_the_permission(client: Any, grid_worker_a: Any) -> None:
    item = portal_request()
    client.force_login(grid_worker_a)
    assert client.get(reverse("portal:moderation")).status_code == 403
    assert client.post(url(item), {"action": "withhold", "note": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


def test_request_outside_scope_is_404(client: Any, dispatcher: Any) -> None:
    item = portal_request(region_code="620502103200001")
    client.force_login(dispatcher)
    assert client.get(url(item)).status_code == 404
    assert client.post(url(item), {"action": "withhold", "note": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


def test_form_prefills_masked_text(client: Any, dispatcher: Any) -> None:
    item = portal_request(description="电话13912345678，身份证620502199001011234，车牌甘A12345")
    client.force_login(dispatcher)
    body = client.get(url(item)).content.decode()
    assert "139****5678" in body
    assert "6205**********1234" in body
    assert "甘A***" in body


def test_publish_with_edited_text_and_audit(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    response = client.post(
        url(item),
        {"action": "publish", "public_text": "小区路灯不亮", "photos_public": "on", "seen_at": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.moderation == Moderation.PUBLISHED
    assert item.public_text == "小区路灯不亮"
    assert item.photos_public is True
    assert item.moderated_by == dispatcher
    entry = AuditEntry.objects.get(action="portal.request_publish", target_id=str(item.pk))
    assert entry.actor_id == dispatcher.pk


def test_photos_are_withheld_by_default(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    client.post(url(item), {"action": "publish", "public_text": "路灯不亮", "seen_at": ""})
    item.refresh_from_db()
    assert item.moderation == Moderation.PUBLISHED and item.photos_public is False


@pytest.mark.parametrize(
    "text",
    ["请拨13912345678", "身份证62050219900101123X", "", "x" * 4001],
)
def test_refuses_text_with_personal_data_or_bad(client: Any, dispatcher: Any, text: str) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    response = client.post(url(item), {"action": "publish", "public_text": text, "seen_at": ""})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING
    assert not AuditEntry.objects.filter(
        target_id=str(item.pk), action__startswith="portal.request"
    ).exists()


def test_script_text_is_stored_as_text_and_escaped(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    client.post(
        url(item), {"action": "publish", "public_text": "<script>x()</script>", "seen_at": ""}
    )
    item.refresh_from_db()
    body = client.get(reverse("portal:public_detail", args=[item.case.number])).content.decode()
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;" in body


def test_bad_action_is_400(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    assert client.post(url(item), {"action": "delete"}).status_code == 400
    assert client.post(url(item), {"action": "withhold", "seen_at": "yesterday"}).status_code == 400
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


def test_withhold_needs_a_note(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    client.force_login(dispatcher)
    assert (
        client.post(url(item), {"action": "withhold", "note": "", "seen_at": ""}).status_code == 400
    )
    response = client.post(url(item), {"action": "withhold", "note": "含人脸", "seen_at": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.moderation == Moderation.WITHHELD and item.moderation_note == "含人脸"
    assert AuditEntry.objects.filter(
        action="portal.request_withhold", target_id=str(item.pk)
    ).exists()


def test_non_public_category_cannot_be_published(client: Any, dispatcher: Any) -> None:
    item = portal_request(public=False)
    client.force_login(dispatcher)
    page = client.get(url(item)).content.decode()
    assert 'id="not-public"' in page and 'id="request-publish"' not in page
    response = client.post(url(item), {"action": "publish", "public_text": "文字", "seen_at": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING


def test_stale_decision_is_a_conflict(client: Any, dispatcher: Any) -> None:
    item = portal_request()
    moderation.moderate(dispatcher, item.pk, publish=True, seen_at=None, public_text="第一位")
    client.force_login(dispatcher)
    response = client.post(url(item), {"action": "withhold", "note": "第二位", "seen_at": ""})
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.moderation == Moderation.PUBLISHED and item.public_text == "第一位"
    with pytest.raises(moderation.Conflict):
        moderation.moderate(dispatcher, item.pk, publish=False, seen_at=None, note="x")


def test_demo_load_publishes_taken_up_requests_once(dispatcher: Any) -> None:
    from wangge.accounts.models import User
    from wangge.portal import demo_public

    if not User.objects.filter(username="dispatcher").exists():
        User.objects.filter(pk=dispatcher.pk).update(username="dispatcher")
    fresh = portal_request(status="registered")
    taken_up = portal_request(status="dispatched")
    hidden = portal_request(status="dispatched", public=False)
    assert demo_public.load() >= 1
    assert demo_public.load() == 0
    for item in (fresh, taken_up, hidden):
        item.refresh_from_db()
    assert taken_up.moderation == Moderation.PUBLISHED
    assert "13912345678" not in taken_up.public_text
    assert fresh.moderation == Moderation.PENDING and hidden.moderation == Moderation.PENDING


def test_outsider_url_module_gives_a_404_to_the_dispatcher(
    client: Any, dispatcher: Any, outsider: Any
) -> None:
    from wangge.portal.tests.outsider_urls_moderation import OUTSIDER_URLS

    persona, make_url = OUTSIDER_URLS["portal:moderate_request"]
    assert persona == "dispatcher"
    client.force_login(dispatcher)
    assert client.get(make_url(outsider)).status_code == 404
