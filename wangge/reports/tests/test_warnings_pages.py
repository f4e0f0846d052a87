"""The early-warning pages: the list of one's places, one warning with acknowledgement,
closing and notes; scope (404), permission (403) and bad input (400, nothing saved)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TOWNSHIP
from wangge.reports.models import EarlyWarning, RuleKind, WarningNote, WarningRule
from wangge.reports.tests.outsider_urls_warnings import OUTSIDE_TOWNSHIP

pytestmark = pytest.mark.django_db


def warning_at(
    region: str, summary: str = "本乡超期比例过高", category: str = "E01"
) -> EarlyWarning:
    rule, _ = WarningRule.objects.get_or_create(
        name="超期比例", kind=RuleKind.OVERDUE_SHARE, defaults={"params": {}}
    )
    return EarlyWarning.objects.create(
        rule=rule,
        region_code=region,
        category_code=category,
        period_start=datetime.date(2026, 11, 16),
        period_end=datetime.date(2026, 11, 22),
        value=0.5,
        threshold=0.3,
        summary=summary,
        link=f"/cases/?region={region}&category=E01&overdue=on",
        created_at=timezone.now(),
    )


@pytest.fixture
def own() -> EarlyWarning:
    return warning_at(TOWNSHIP)


@pytest.fixture
def far() -> EarlyWarning:
    return warning_at(OUTSIDE_TOWNSHIP, "外乡超期比例过高")


def detail(warning: EarlyWarning) -> str:
    return reverse("reports:warning", args=[warning.pk])


def test_the_list_shows_the_warnings_of_ones_places_only(client, dispatcher, own, far):
    client.force_login(dispatcher)
    page = client.get(reverse("reports:warnings")).content.decode()
    assert "本乡超期比例过高" in page and "外乡超期比例过高" not in page


def test_a_district_leader_sees_every_township(client, leader, own, far):
    client.force_login(leader)
    page = client.get(reverse("reports:warnings")).content.decode()
    assert "本乡超期比例过高" in page and "外乡超期比例过高" in page


def test_closed_warnings_leave_the_active_list(client, dispatcher, own):
    EarlyWarning.objects.filter(pk=own.pk).update(state="closed")
    client.force_login(dispatcher)
    assert "本乡超期比例过高" not in client.get(reverse("reports:warnings")).content.decode()
    shown = client.get(reverse("reports:warnings") + "?state=all").content.decode()
    assert "本乡超期比例过高" in shown


def test_the_list_refuses_an_unknown_choice(client, dispatcher, own):
    client.force_login(dispatcher)
    response = client.get(reverse("reports:warnings") + "?state=everything")
    assert response.status_code == 400
    assert "本乡超期比例过高" not in response.content.decode()


def test_the_list_takes_a_few_queries(client, dispatcher, django_assert_max_num_queries):
    for n in range(12):
        warning_at(TOWNSHIP, f"警示 {n}", category=f"E{n:02d}")
    client.force_login(dispatcher)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:warnings")).status_code == 200


def test_people_without_the_permission_are_refused(client, grid_worker_a, own):
    client.force_login(grid_worker_a)
    assert client.get(reverse("reports:warnings")).status_code == 403
    assert client.get(detail(own)).status_code == 403
    assert client.post(detail(own), {"action": "acknowledge"}).status_code == 403
    own.refresh_from_db()
    assert own.state == "open"


def test_a_warning_outside_ones_places_is_not_found(client, dispatcher, far):
    client.force_login(dispatcher)
    assert client.get(detail(far)).status_code == 404
    assert client.post(detail(far), {"action": "acknowledge"}).status_code == 404
    far.refresh_from_db()
    assert far.state == "open"


def test_one_warning_links_to_its_records(client, dispatcher, own):
    client.force_login(dispatcher)
    page = client.get(detail(own)).content.decode()
    assert 'href="/cases/?region=620502001&amp;category=E01&amp;overdue=on"' in page


def test_acknowledging_a_warning_records_who_and_when(client, dispatcher, own):
    client.force_login(dispatcher)
    response = client.post(detail(own), {"action": "acknowledge"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.state, own.acknowledged_by) == ("acknowledged", dispatcher)
    again = client.post(detail(own), {"action": "acknowledge"})
    assert again.status_code == 400
    assert "already" in again.content.decode() or "已" in again.content.decode()


def test_a_note_is_added_and_an_empty_or_long_one_is_refused(client, dispatcher, own):
    client.force_login(dispatcher)
    assert client.post(detail(own), {"action": "note", "text": "已约谈乡综治办"}).status_code == 302
    assert client.post(detail(own), {"action": "note", "text": "  "}).status_code == 400
    long = client.post(detail(own), {"action": "note", "text": "字" * 1001})
    assert long.status_code == 400
    assert list(WarningNote.objects.values_list("text", flat=True)) == ["已约谈乡综治办"]
    assert "已约谈乡综治办" in client.get(detail(own)).content.decode()


def test_an_unknown_action_changes_nothing(client, dispatcher, own):
    client.force_login(dispatcher)
    assert client.post(detail(own), {"action": "delete"}).status_code == 400
    own.refresh_from_db()
    assert own.state == "open" and EarlyWarning.objects.filter(pk=own.pk).exists()


def test_closing_a_warning(client, dispatcher, own):
    client.force_login(dispatcher)
    assert client.post(detail(own), {"action": "close"}).status_code == 302
    own.refresh_from_db()
    assert own.state == "closed" and own.acknowledged_by == dispatcher
    assert client.post(detail(own), {"action": "close"}).status_code == 400
