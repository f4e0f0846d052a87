"""Mediation personas: a village committee's mediator, the township's leader, and a
mediator of another township's committee (the outsider)."""

import pytest

from conftest import GRID_A, TOWNSHIP, make_persona
from wangge.accounts.models import Department
from wangge.mediation.models import MediationBody
from wangge.mediation.services import DisputeInput, PartyInput, record_dispute

VILLAGE = GRID_A[:12]


@pytest.fixture
def committee(db) -> MediationBody:  # type: ignore[no-untyped-def]
    return MediationBody.objects.get(department__code=f"mediation-{VILLAGE}")


@pytest.fixture
def mediator(committee):  # type: ignore[no-untyped-def]
    return make_persona("t_mediator", "mediator", department=committee.department)


@pytest.fixture
def township_leader(db):  # type: ignore[no-untyped-def]
    return make_persona("t_township_leader", "leader", region=TOWNSHIP)


@pytest.fixture
def court_body(db) -> MediationBody:  # type: ignore[no-untyped-def]
    return MediationBody.objects.get(department__code="court")


@pytest.fixture
def court_clerk(court_body):  # type: ignore[no-untyped-def]
    return make_persona("t_court_clerk", "mediator", department=court_body.department)


@pytest.fixture
def far_mediator(db):  # type: ignore[no-untyped-def]
    """A mediator of a body in another township (the demo has committees only in the first
    township, so a body is made on another township's judicial office)."""
    unit = Department.objects.exclude(region_id=TOWNSHIP).filter(code__startswith="justice-")[0]
    MediationBody.objects.get_or_create(department=unit, defaults={"type": "people"})
    return make_persona("t_far_mediator", "mediator", department=unit)


def dispute_input(committee: MediationBody, **changes):  # type: ignore[no-untyped-def]
    values = dict(
        body_id=committee.pk,
        category_code="D0201",
        grid_code=GRID_A,
        address="某村三组",
        description="两户因排水沟堵塞发生争执",
        parties=[
            PartyInput("applicant", name="张三", address="某村三组"),
            PartyInput("respondent", name="李四", address="某村三组"),
        ],
    )
    values.update(changes)
    return DisputeInput(**values)


@pytest.fixture
def dispute(mediator, committee):  # type: ignore[no-untyped-def]
    return record_dispute(mediator, dispute_input(committee))
