"""Petition personas: the district's petitions officer, the handler of the police station
of township 620502001 (the unit a petition is routed to), the handler of a district bureau
(the unit a review goes to), and an officer posted in a township far away."""

import pytest

from conftest import DISTRICT, GRID_A, make_persona
from wangge.accounts.models import Department
from wangge.petitions.services import PetitionInput, RepresentativeInput


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return make_persona("t_officer", "petition_officer", region=DISTRICT)


@pytest.fixture
def far_officer(db):  # type: ignore[no-untyped-def]
    return make_persona("t_far_officer", "petition_officer", region="620502103")


@pytest.fixture
def station(db) -> Department:  # type: ignore[no-untyped-def]
    return Department.objects.get(code="police-620502001")


@pytest.fixture
def bureau(db) -> Department:  # type: ignore[no-untyped-def]
    return Department.objects.get(code="human-resources")


@pytest.fixture
def station_handler(station):  # type: ignore[no-untyped-def]
    return make_persona("t_station_handler", "department_handler", department=station)


@pytest.fixture
def bureau_handler(bureau):  # type: ignore[no-untyped-def]
    return make_persona("t_bureau_handler", "department_handler", department=bureau)


def petition_input(**changes) -> PetitionInput:  # type: ignore[no-untyped-def]
    data = PetitionInput(
        form="visit",
        matter_kind="appeal",
        petitioner_name="王建国",
        request="村道硬化工程占用承包地，补偿款至今未发放，请求督促发放。",
        region_code=GRID_A,
        address="天水郡村三组",
        petitioner_id_number="620502198001010012",
        petitioner_phone="13809381234",
        petitioner_address="秦州区天水郡村三组12号",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def representatives(count: int) -> list[RepresentativeInput]:
    return [RepresentativeInput(name=f"代表{n}", phone="13900000000") for n in range(count)]
