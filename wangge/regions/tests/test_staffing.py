import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from wangge.accounts.models import User
from wangge.regions import selectors, services
from wangge.regions.models import GridAssignment, GridRole, Region

GRID = "620502001001001"


@pytest.fixture
def person(db) -> User:
    return User.objects.create(username="new", name="新网格员")


def test_a_part_time_worker_is_assigned_and_listed_after_the_leader(person):
    services.grid_assign(
        actor=None,
        grid=Region.objects.get(code=GRID),
        user=person,
        role=GridRole.PART_TIME,
        starts_on=datetime.date(2026, 1, 1),
    )

    workers = selectors.grid_workers(GRID)
    assert [a.role for a in workers][:2] == [GridRole.LEADER, GridRole.FULL_TIME]
    assert workers[-1].user == person and workers[-1].role == GridRole.PART_TIME


def test_an_assignment_that_has_ended_is_not_listed(person):
    services.grid_assign(
        actor=None,
        grid=Region.objects.get(code=GRID),
        user=person,
        role=GridRole.PART_TIME,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    assert person.name not in [a.user.name for a in selectors.grid_workers(GRID)]


@pytest.mark.parametrize(
    ("code", "role", "ends_on", "message"),
    [
        ("620502001001", GridRole.FULL_TIME, None, "only be assigned to grids"),
        (GRID, "mayor", None, "Unknown grid role"),
        (GRID, GridRole.FULL_TIME, datetime.date(2025, 1, 1), "grid_assignment_ends_after_start"),
    ],
)
def test_a_bad_assignment_is_refused_and_nothing_saved(person, code, role, ends_on, message):
    before = GridAssignment.objects.count()
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.grid_assign(
            actor=None,
            grid=Region.objects.get(code=code),
            user=person,
            role=role,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=ends_on,
        )
    assert GridAssignment.objects.count() == before
