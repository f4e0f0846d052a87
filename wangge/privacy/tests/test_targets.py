"""The registry of kinds, and the first kind: which staff a user reaches."""

import dataclasses
import datetime

import pytest
from django.http import Http404

from conftest import make_persona
from wangge.accounts.models import Department, Membership, User
from wangge.privacy import targets
from wangge.privacy.staff import STAFF, staff_get_for


def test_a_dispatcher_reaches_staff_posted_in_their_township(dispatcher, grid_worker_a):
    assert staff_get_for(dispatcher, grid_worker_a.pk) == grid_worker_a


def test_a_user_does_not_reach_staff_posted_outside_their_scope(outsider, grid_worker_a):
    with pytest.raises(Http404):
        staff_get_for(outsider, grid_worker_a.pk)


def test_a_grid_worker_does_not_reach_the_worker_of_the_neighbouring_grid(
    grid_worker_a, grid_worker_b
):
    with pytest.raises(Http404):
        staff_get_for(grid_worker_a, grid_worker_b.pk)


def test_an_ended_post_no_longer_makes_its_holder_reachable(dispatcher, grid_worker_a):
    post = Membership.objects.get(user=grid_worker_a)
    post.ends_on = datetime.date(2026, 1, 31)
    post.save(update_fields=["ends_on"])

    with pytest.raises(Http404):
        staff_get_for(dispatcher, grid_worker_a.pk)


def test_department_staff_are_reached_through_the_department_region(db):
    township = "620502103"
    station = Department.objects.create(
        code="far-police", name="远处派出所", kind="police", region_id=township
    )
    officer = make_persona("officer", "department_handler", department=station)
    local = make_persona("far_dispatcher", "dispatcher", region=township)
    other = make_persona("near_dispatcher", "dispatcher", region="620502001")

    assert staff_get_for(local, officer.pk) == officer
    with pytest.raises(Http404):
        staff_get_for(other, officer.pk)


def test_staff_without_a_post_are_reached_only_by_a_superuser(district_admin, db):
    nobody = User.objects.create(username="no_post")
    superuser = User.objects.create(username="root", is_superuser=True)

    assert staff_get_for(superuser, nobody.pk) == nobody
    with pytest.raises(Http404):
        staff_get_for(district_admin, nobody.pk)


def test_the_staff_kind_is_registered_with_its_masked_mobile():
    assert targets.kind_named("staff") is STAFF
    assert STAFF.target_type == "accounts.user"
    assert STAFF.fields["mobile"]("13812345678") == "138****5678"


def test_an_unknown_kind_is_named_in_the_error():
    with pytest.raises(targets.UnknownKind, match="nosuchkind"):
        targets.kind_named("nosuchkind")


def test_a_second_kind_for_the_same_model_or_name_is_refused():
    targets.register(STAFF)  # the same kind again changes nothing

    with pytest.raises(ValueError, match="registered already"):
        targets.register(dataclasses.replace(STAFF, name="user"))
    with pytest.raises(ValueError, match="registered already"):
        targets.register(dataclasses.replace(STAFF, model=Department))
    assert targets.KINDS["staff"] is STAFF and "user" not in targets.KINDS


def test_a_kind_naming_a_field_its_model_lacks_is_refused(monkeypatch):
    monkeypatch.setattr(targets, "KINDS", {})

    with pytest.raises(Exception, match="no field named 'phone'"):
        targets.register(dataclasses.replace(STAFF, fields={"phone": str}))
