import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conftest import GRID_A, GRID_B, OUTSIDE_GRID, make_persona
from wangge.accounts.models import Membership
from wangge.core.scope import get_for, visible_to
from wangge.regions.models import GridAssignment, Region


def assignment_ids(user) -> set[str]:  # type: ignore[no-untyped-def]
    rows = visible_to(user, GridAssignment.objects.all(), field="grid__code")
    return set(rows.values_list("grid_id", flat=True))


def test_a_grid_worker_reaches_only_their_own_grid(grid_worker_a):
    assert assignment_ids(grid_worker_a) == {GRID_A}


def test_a_grid_worker_cannot_open_a_record_of_the_neighbouring_grid(grid_worker_a):
    other = GridAssignment.objects.filter(grid_id=GRID_B).first()
    with pytest.raises(Http404):
        get_for(grid_worker_a, GridAssignment.objects.all(), other.pk, field="grid__code")


def test_a_dispatcher_reaches_every_grid_of_the_township_and_nothing_beyond(dispatcher):
    reached = assignment_ids(dispatcher)
    assert {GRID_A, GRID_B} <= reached
    assert all(code.startswith("620502001") for code in reached)
    assert OUTSIDE_GRID not in reached


def test_a_department_reaches_records_only_through_its_categories(department_handler):
    without_categories = visible_to(department_handler, Region.objects.all(), field="code")
    with_categories = visible_to(
        department_handler, Region.objects.all(), field="code", category_field="urban_rural_code"
    )

    assert not without_categories.exists()
    assert set(with_categories.values_list("urban_rural_code", flat=True)) == {"220"}
    assert all(
        code.startswith("620502103") for code in with_categories.values_list("code", flat=True)
    )


def test_a_signed_in_resident_without_a_post_reaches_nothing(resident):
    assert assignment_ids(resident) == set()


def test_an_ended_post_gives_no_scope(db):
    user = make_persona("former", "grid_worker", region=GRID_A)
    Membership.objects.filter(user=user).update(ends_on=datetime.date(2026, 1, 31))
    assert assignment_ids(user) == set()


def test_the_superuser_reaches_everything(db):
    from wangge.accounts.models import User

    admin = User.objects.get(username="admin")
    assert len(assignment_ids(admin)) == Region.objects.filter(level="grid").count()


def test_in_scope_without_the_capability_is_403(grid_worker_a):
    own = GridAssignment.objects.filter(grid_id=GRID_A).first()
    with pytest.raises(PermissionDenied):
        get_for(
            grid_worker_a,
            GridAssignment.objects.all(),
            own.pk,
            action="regions.change_gridassignment",
            field="grid__code",
        )


def test_in_scope_with_the_capability_returns_the_record(dispatcher):
    own = GridAssignment.objects.filter(grid_id=GRID_A).first()
    record = get_for(
        dispatcher,
        GridAssignment.objects.all(),
        own.pk,
        action="regions.change_gridassignment",
        field="grid__code",
    )
    assert record == own
