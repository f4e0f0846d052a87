"""The register's API: the same gate and services as the pages, masked data, the error shape."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wangge.people.models import Person
from wangge.people.tests.factories import identity_number, person_registered

GRID_A, GRID_B = "620502001001001", "620502001001002"


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def cen(db):  # type: ignore[no-untyped-def]
    return person_registered(name="岑彧珺", mobile="13800009999", current_address="测试巷99号")


def register_body(**changes):  # type: ignore[no-untyped-def]
    body = {
        "id_number": identity_number(datetime.date(1990, 3, 4)),
        "region_code": GRID_A,
        "name": "岑丽娜",
        "categories": {"floating": {"inflow_reason": "01", "registered_on": "2026-01-05"}},
    }
    return {**body, **changes}


def test_the_list_finds_people_within_reach_with_masked_personal_data(
    signed_in, grid_worker_a, cen
):
    person_registered(name="岑彧琳", region_code=GRID_B)

    response = signed_in(grid_worker_a).get("/api/v1/people", {"text": "cyj"})

    body = response.json()
    assert response.status_code == 200
    assert [item["name"] for item in body["items"]] == ["岑彧珺"]
    item = body["items"][0]
    assert item["mobile_masked"] == "138****9999"
    assert item["id_number_masked"] != cen.id_number
    assert cen.id_number not in response.content.decode()
    assert "13800009999" not in response.content.decode()


def test_the_list_is_paged_in_a_fixed_number_of_queries(signed_in, dispatcher):
    for _ in range(6):
        person_registered(name="岑刚")
    client = signed_in(dispatcher)
    client.get("/api/v1/people", {"limit": 2})

    with CaptureQueriesContext(connection) as small:
        small_page = client.get("/api/v1/people", {"limit": 2, "text": "岑刚"}).json()
    with CaptureQueriesContext(connection) as large:
        large_page = client.get("/api/v1/people", {"limit": 6, "text": "岑刚"}).json()

    assert len(small_page["items"]) == 2
    assert len(large_page["items"]) == 6
    assert len(small) == len(large)


def test_a_department_handler_may_not_list_people(signed_in, department_handler):
    response = signed_in(department_handler).get("/api/v1/people")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_one_record_within_reach_and_out_of_it(signed_in, grid_worker_a, grid_worker_b, cen):
    mine = signed_in(grid_worker_a).get(f"/api/v1/people/{cen.pk}")
    theirs = signed_in(grid_worker_b).get(f"/api/v1/people/{cen.pk}")

    assert mine.json()["name"] == "岑彧珺"
    assert theirs.status_code == 404


def test_a_grid_worker_registers_a_person(signed_in, grid_worker_a):
    response = signed_in(grid_worker_a).post(
        "/api/v1/people", register_body(), content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["categories"] == ["floating"]
    assert body["birth_date"] == "1990-03-04"
    person = Person.objects.get(name="岑丽娜", region_code=GRID_A)
    assert person.categories.get().details == {"inflow_reason": "01", "registered_on": "2026-01-05"}


def test_registering_a_category_with_unknown_codes_saves_nothing(signed_in, grid_worker_a):
    body = register_body(categories={"floating": {"inflow_reason": "77", "colour": "red"}})

    response = signed_in(grid_worker_a).post(
        "/api/v1/people", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"inflow_reason", "colour"}
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_foreign_national_is_registered_by_passport(signed_in, grid_worker_a):
    body = {
        "id_type": "414",
        "id_number": "m1234567 ",
        "region_code": GRID_A,
        "name": "金敏俊",
        "sex": "1",
        "birth_date": "1991-07-02",
        "categories": {"foreign": {"nationality": "KOR", "visit_purpose": "02"}},
    }
    client = signed_in(grid_worker_a)

    created = client.post("/api/v1/people", body, content_type="application/json")
    without_birth = client.post(
        "/api/v1/people",
        {**body, "id_number": "M7654321", "birth_date": None},
        content_type="application/json",
    )
    found = client.get("/api/v1/people", {"text": "M1234567"})

    assert created.status_code == 201
    assert created.json()["id_type"] == "414"
    assert Person.objects.get(id_number="M1234567").categories.get().details["nationality"] == "KOR"
    assert without_birth.status_code == 422
    assert "birth_date" in without_birth.json()["fields"]
    assert [item["name"] for item in found.json()["items"]] == ["金敏俊"]


def test_categories_and_tags_are_set_and_ended_through_the_api(signed_in, grid_worker_a, cen):
    client = signed_in(grid_worker_a)
    base = f"/api/v1/people/{cen.pk}"

    added = client.put(
        f"{base}/categories/left_behind",
        {"details": {"left_behind_type": "01"}, "version": 1},
        content_type="application/json",
    )
    tagged = client.put(
        f"{base}/tags",
        {"tags": ["独居老人", " 试点户 "], "version": 2},
        content_type="application/json",
    )
    stale = client.put(f"{base}/tags", {"tags": [], "version": 2}, content_type="application/json")
    ended = client.post(
        f"{base}/categories/left_behind/end",
        {"on": "2026-11-01", "version": 3},
        content_type="application/json",
    )
    by_tag = client.get("/api/v1/people", {"tag": "试点户"})

    assert added.status_code == 200
    assert added.json()["categories"] == ["left_behind"]
    assert tagged.json()["tags"] == ["独居老人", "试点户"]
    assert stale.status_code == 409
    assert ended.status_code == 200
    assert ended.json()["categories"] == []
    assert [item["id"] for item in by_tag.json()["items"]] == [cen.pk]


def test_category_and_tag_writes_refuse_bad_input_and_outsiders(
    signed_in, grid_worker_a, grid_worker_b, leader, cen
):
    base = f"/api/v1/people/{cen.pk}"
    body = {"details": {"left_behind_type": "01"}, "version": 1}

    unknown_kind = signed_in(grid_worker_a).put(
        f"{base}/categories/alien", body, content_type="application/json"
    )
    missing = signed_in(grid_worker_a).put(
        f"{base}/categories/left_behind",
        {"details": {}, "version": 1},
        content_type="application/json",
    )
    too_long = signed_in(grid_worker_a).put(
        f"{base}/tags", {"tags": ["长" * 21], "version": 1}, content_type="application/json"
    )
    outsider = signed_in(grid_worker_b).put(
        f"{base}/categories/left_behind", body, content_type="application/json"
    )
    viewer = signed_in(leader).put(
        f"{base}/tags", {"tags": ["x"], "version": 1}, content_type="application/json"
    )

    assert unknown_kind.status_code == 422
    assert missing.status_code == 422
    assert "left_behind_type" in missing.json()["fields"]
    assert too_long.status_code == 422
    assert outsider.status_code == 404
    assert viewer.status_code == 403
    cen.refresh_from_db()
    assert cen.version == 1
    assert not cen.categories.exists()
    assert not cen.tags.exists()


def test_registering_with_bad_input_answers_422_with_the_fields(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)

    bad_number = client.post(
        "/api/v1/people", register_body(id_number="1234"), content_type="application/json"
    )
    out_of_reach = client.post(
        "/api/v1/people", register_body(region_code=GRID_B), content_type="application/json"
    )
    bad_mobile = client.post(
        "/api/v1/people", register_body(mobile="12"), content_type="application/json"
    )

    assert bad_number.status_code == 422
    assert "id_number" in bad_number.json()["fields"]
    assert out_of_reach.status_code == 422
    assert "region_code" in out_of_reach.json()["fields"]
    assert bad_mobile.status_code == 422
    assert [name for name in bad_mobile.json()["fields"] if name.endswith("mobile")]
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_leader_may_not_register_or_update(signed_in, leader, cen):
    client = signed_in(leader)

    created = client.post("/api/v1/people", register_body(), content_type="application/json")
    updated = client.patch(
        f"/api/v1/people/{cen.pk}",
        {"version": 1, "occupation": "教师"},
        content_type="application/json",
    )

    assert created.status_code == 403
    assert updated.status_code == 403
    cen.refresh_from_db()
    assert cen.occupation == ""
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_an_update_needs_the_current_version(signed_in, grid_worker_a, cen):
    client = signed_in(grid_worker_a)
    url = f"/api/v1/people/{cen.pk}"

    saved = client.patch(url, {"version": 1, "occupation": "教师"}, content_type="application/json")
    stale = client.patch(url, {"version": 1, "occupation": "医生"}, content_type="application/json")

    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    cen.refresh_from_db()
    assert cen.occupation == "教师"


def test_an_update_out_of_reach_is_not_found(signed_in, grid_worker_b, cen):
    response = signed_in(grid_worker_b).patch(
        f"/api/v1/people/{cen.pk}", {"version": 1, "name": "改"}, content_type="application/json"
    )

    assert response.status_code == 404
    cen.refresh_from_db()
    assert cen.name == "岑彧珺"


def test_the_openapi_document_lists_every_people_operation(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/people"]) == {"get", "post"}
    assert set(paths["/api/v1/people/{person_id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/people/{person_id}/categories/{kind}"]) == {"put"}
    assert set(paths["/api/v1/people/{person_id}/categories/{kind}/end"]) == {"post"}
    assert set(paths["/api/v1/people/{person_id}/tags"]) == {"put"}
