"""The register's gate: grids for grid workers, townships for dispatchers, nothing for
departments and residents."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from wangge.audit.models import AuditEntry
from wangge.people import access
from wangge.people.tests.factories import person_registered
from wangge.privacy import targets


@pytest.fixture
def neighbours(db):  # type: ignore[no-untyped-def]
    return (
        person_registered(region_code="620502001001001"),
        person_registered(region_code="620502001001002", name="王芳"),
        person_registered(region_code="620502103200001", name="赵六"),
    )


def test_a_grid_worker_sees_only_the_people_of_their_grid(grid_worker_a, neighbours):
    own, neighbour, _far = neighbours

    mine = {person.pk for person in neighbours}
    visible = access.persons_visible_to(grid_worker_a).filter(pk__in=mine)
    assert list(visible) == [own]
    assert (
        not access.persons_visible_to(grid_worker_a).exclude(region_code="620502001001001").exists()
    )
    with pytest.raises(Http404):
        access.person_get_for(grid_worker_a, neighbour.pk)
    assert AuditEntry.objects.filter(action="access.out_of_scope").count() == 1


def test_a_dispatcher_sees_their_township(dispatcher, neighbours):
    own, neighbour, far = neighbours

    mine = {person.pk for person in neighbours}
    assert set(access.persons_visible_to(dispatcher).filter(pk__in=mine)) == {own, neighbour}
    assert (
        not access.persons_visible_to(dispatcher)
        .exclude(region_code__startswith="620502001")
        .exists()
    )
    with pytest.raises(Http404):
        access.person_get_for(dispatcher, far.pk)


def test_departments_and_residents_reach_no_people(department_handler, resident, neighbours):
    for user in (department_handler, resident):
        with pytest.raises(PermissionDenied):
            access.persons_visible_to(user)


def test_a_leader_reads_but_may_not_change(leader, neighbours):
    own = neighbours[0]

    assert access.person_get_for(leader, own.pk) == own
    with pytest.raises(PermissionDenied):
        access.person_get_for(leader, own.pk, action=access.CHANGE_PERSON)


def test_people_can_be_unmasked_within_scope_only(grid_worker_a, neighbours):
    kind = targets.kind_named("person")
    own, neighbour, _far = neighbours

    assert kind.get_for(grid_worker_a, own.pk) == own
    with pytest.raises(Http404):
        kind.get_for(grid_worker_a, neighbour.pk)
