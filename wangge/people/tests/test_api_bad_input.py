"""The register's API against bad input: each request ends in a clear 4xx answer in the one
error shape, and nothing is written."""

import datetime

import pytest

from wangge.people.models import House, Organisation, Person
from wangge.people.tests.factories import identity_number

GRID_A = "620502001001001"


def person_body(**changes):  # type: ignore[no-untyped-def]
    body = {
        "id_number": identity_number(datetime.date(1990, 3, 4)),
        "region_code": GRID_A,
        "name": "岑丽娜",
    }
    return {**body, **changes}


def wrong_check_character() -> str:
    number = identity_number(datetime.date(1990, 3, 4))
    return number[:-1] + ("0" if number[-1] != "0" else "1")


BAD_PEOPLE = {
    "malformed identity number": {"id_number": "62050219900304"},
    "wrong check character": {"id_number": wrong_check_character()},
    "impossible birth date in the number": {"id_number": "620502199002300012"},
    "impossible date": {"birth_date": "1990-02-30"},
    "birth date disagreeing with the number": {"birth_date": "1991-03-04"},
    "unknown ethnicity code": {"ethnicity": "99"},
    "unknown education code": {"education": "XX"},
    "unknown sex code": {"sex": "7"},
    "empty name": {"name": ""},
    "very long name": {"name": "岑" * 5000},
    "very long address": {"current_address": "巷" * 100_000},
    "grid that does not exist": {"region_code": "620502999999999"},
    "region that is not a grid": {"region_code": "620502001"},
    "grid out of reach": {"region_code": "620502001001002"},
    "mobile with letters": {"mobile": "1380000abcd"},
    "unknown document type": {"id_type": "777", "id_number": "E1234567"},
    "unknown category": {"categories": {"alien": {}}},
    "category detail not in its table": {"categories": {"floating": {"inflow_reason": "88"}}},
    "name as null": {"name": None},
    "number as a list": {"id_number": ["620502"]},
}


@pytest.mark.parametrize("case", sorted(BAD_PEOPLE))
def test_a_bad_person_is_refused_and_nothing_is_written(client, grid_worker_a, case):
    client.force_login(grid_worker_a)
    before = Person.objects.count()

    response = client.post(
        "/api/v1/people", person_body(**BAD_PEOPLE[case]), content_type="application/json"
    )

    assert response.status_code in {400, 422}, case
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert body["message"]
    assert Person.objects.count() == before


def test_a_duplicate_identity_number_is_refused_the_second_time(client, grid_worker_a):
    client.force_login(grid_worker_a)
    body = person_body()

    first = client.post("/api/v1/people", body, content_type="application/json")
    second = client.post("/api/v1/people", body, content_type="application/json")

    assert first.status_code == 201
    assert second.status_code == 422
    assert "id_number" in second.json()["fields"]


def test_a_body_that_is_not_json_is_refused(client, grid_worker_a):
    client.force_login(grid_worker_a)
    before = Person.objects.count()

    response = client.post("/api/v1/people", "{not json", content_type="application/json")

    assert response.status_code in {400, 422}
    assert Person.objects.count() == before


BAD_PLACES = {
    "houses": [
        {"address": "测试巷1号", "region_code": GRID_A, "building_use": "77"},
        {"address": "测试巷1号", "lon": 116.4, "lat": 39.9, "building_use": "01"},
        {"address": "", "region_code": GRID_A, "building_use": "01"},
        {"address": "测试巷1号", "region_code": GRID_A, "building_use": "01", "rental_use": "02"},
        {
            "address": "测试巷1号",
            "region_code": GRID_A,
            "building_use": "01",
            "owner_id_number": "1",
        },
    ],
    "organisations": [
        {
            "name": "岑记",
            "kind": "03",
            "address": "测试巷2号",
            "region_code": GRID_A,
            "credit_code": "91620502MA7XXXXXXX",
        },
        {"name": "岑记", "kind": "ZZ", "address": "测试巷2号", "region_code": GRID_A},
        {
            "name": "岑记",
            "kind": "03",
            "address": "测试巷2号",
            "region_code": GRID_A,
            "employees": -3,
        },
    ],
}


@pytest.mark.parametrize(
    ("kind", "index"),
    [(kind, index) for kind, bodies in BAD_PLACES.items() for index in range(len(bodies))],
)
def test_a_bad_house_or_organisation_is_refused_and_nothing_is_written(
    client, grid_worker_a, kind, index
):
    client.force_login(grid_worker_a)
    model = House if kind == "houses" else Organisation
    before = model.objects.count()

    response = client.post(
        f"/api/v1/{kind}", BAD_PLACES[kind][index], content_type="application/json"
    )

    assert response.status_code in {400, 422}, response.content
    assert response.json()["message"]
    assert model.objects.count() == before
