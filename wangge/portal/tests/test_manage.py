"""The staff's portal page: counts of what waits for moderation, in the moderator's area only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GRID_A, OUTSIDE_GRID, make_persona
from wangge.cases.services import ReportInput, report
from wangge.cases.tests.conftest import point_in
from wangge.portal.models import Moderation, PortalRequest


def pending_request(grid: str, code: str) -> PortalRequest:
    lon, lat = point_in(grid)
    case = report(
        None,
        ReportInput(
            category_code="E0102",
            description="垃圾堆积",
            lon=lon,
            lat=lat,
            channel="portal",
            reporter_phone="13900000009",
        ),
    )
    return PortalRequest.objects.create(
        case=case, tracking_code=code, phone="13900000009", created_at=timezone.now()
    )


@pytest.mark.django_db
def test_the_dispatcher_counts_only_the_requests_of_their_township(client, dispatcher):
    pending_request(GRID_A, "AAAAAAAAAA")
    pending_request(GRID_A, "BBBBBBBBBB").__class__.objects.filter(
        tracking_code="BBBBBBBBBB"
    ).update(moderation=Moderation.PUBLISHED)
    pending_request(OUTSIDE_GRID, "CCCCCCCCCC")
    client.force_login(dispatcher)

    response = client.get(reverse("portal:manage"))

    assert response.status_code == 200
    assert response.context["counts"]["portal:moderation"] == 1


@pytest.mark.django_db
def test_a_grid_worker_may_not_open_it(client):
    worker = make_persona("t_portal_worker", "grid_worker", region=GRID_A)
    client.force_login(worker)

    assert client.get(reverse("portal:manage")).status_code == 403
