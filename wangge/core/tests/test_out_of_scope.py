"""A record outside the user's scope is a 404 like a missing one, but the attempt is audited."""

import pytest
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import get_resolver, path

from conftest import GRID_A, GRID_B
from wangge.audit.models import AuditEntry
from wangge.core.scope import get_for
from wangge.regions.models import GridAssignment


def out_of_scope() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="access.out_of_scope"))


@pytest.fixture
def neighbours(db) -> GridAssignment:  # type: ignore[no-untyped-def]
    """An assignment in grid B: out of scope for the worker of grid A."""
    return GridAssignment.objects.filter(grid_id=GRID_B).first()


def test_a_record_outside_the_scope_is_not_found_and_the_attempt_is_recorded(
    rf, grid_worker_a, neighbours
):
    request = rf.get(f"/assignments/{neighbours.pk}/", REMOTE_ADDR="10.62.5.40")
    request.user = grid_worker_a

    with pytest.raises(Http404):
        get_for(
            grid_worker_a,
            GridAssignment.objects.all(),
            neighbours.pk,
            field="grid__code",
            request=request,
        )

    (entry,) = out_of_scope()
    assert (entry.actor_id, entry.ip) == (grid_worker_a.pk, "10.62.5.40")
    assert (entry.target_type, entry.target_id) == ("regions.gridassignment", str(neighbours.pk))
    assert entry.details == {"path": f"/assignments/{neighbours.pk}/", "method": "GET"}


def test_without_a_request_the_attempt_is_recorded_without_a_path(grid_worker_a, neighbours):
    with pytest.raises(Http404):
        get_for(grid_worker_a, GridAssignment.objects.all(), neighbours.pk, field="grid__code")

    (entry,) = out_of_scope()
    assert (entry.target_id, entry.details, entry.ip) == (str(neighbours.pk), {}, None)


def test_a_record_that_does_not_exist_is_not_found_and_not_recorded(rf, grid_worker_a):
    request = rf.get("/assignments/0/")
    before = AuditEntry.objects.count()

    with pytest.raises(Http404):
        get_for(grid_worker_a, GridAssignment.objects.all(), 0, field="grid__code", request=request)

    assert AuditEntry.objects.count() == before


def test_a_record_in_scope_is_returned_and_nothing_is_recorded(rf, grid_worker_a):
    own = GridAssignment.objects.filter(grid_id=GRID_A).first()
    before = AuditEntry.objects.count()

    found = get_for(
        grid_worker_a,
        GridAssignment.objects.all(),
        own.pk,
        field="grid__code",
        request=rf.get("/"),
    )

    assert found == own and AuditEntry.objects.count() == before


def assignment_page(request: HttpRequest, pk: int) -> HttpResponse:
    get_for(request.user, GridAssignment.objects.all(), pk, field="grid__code", request=request)
    return HttpResponse("shown")


urlpatterns = [path("assignments/<int:pk>/", assignment_page), *get_resolver().url_patterns]


@override_settings(ROOT_URLCONF=__name__)
def test_the_entry_outlives_the_404_response(client, grid_worker_a, neighbours):
    """Requests are not atomic, so the 404 rolls nothing back."""
    client.force_login(grid_worker_a)

    response = client.get(f"/assignments/{neighbours.pk}/")

    assert response.status_code == 404 and b"shown" not in response.content
    (entry,) = out_of_scope()
    assert entry.details["path"] == f"/assignments/{neighbours.pk}/"


def test_requests_are_not_atomic_so_refusals_stay_recorded():
    assert not any(database.get("ATOMIC_REQUESTS") for database in settings.DATABASES.values())
