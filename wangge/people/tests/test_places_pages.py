"""The pages that register and update houses, households and organisations: success, scope
(404), permission (403), bad input (a clear message, nothing saved) and conflicts."""

import pytest
from django.urls import reverse

from wangge.audit.models import AuditEntry
from wangge.core import coords
from wangge.people import services_organisations as organisations
from wangge.people import services_places as places
from wangge.people.models import Change, House, Household, Organisation, Person
from wangge.people.tests.factories import person_registered
from wangge.people.tests.test_places import credit_code, point_in

GRID_A, GRID_B = "620502001001001", "620502001001002"


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def house(db):  # type: ignore[no-untyped-def]
    return places.house_register(
        actor=None, values={"address": "测试巷1号", "region_code": GRID_A, "building_use": "01"}
    )


@pytest.fixture
def household(db):  # type: ignore[no-untyped-def]
    return places.household_register(
        actor=None, values={"number": "H100", "address": "测试巷1号", "region_code": GRID_A}
    )


@pytest.fixture
def organisation(db):  # type: ignore[no-untyped-def]
    return organisations.organisation_register(
        actor=None,
        values={"name": "岑记商店", "kind": "03", "address": "测试巷2号", "region_code": GRID_A},
    )


@pytest.fixture
def tenant(db):  # type: ignore[no-untyped-def]
    return person_registered(name="岑租客", region_code=GRID_A)


def house_data(**changes):  # type: ignore[no-untyped-def]
    data = {
        "address": "测试巷9号",
        "region_code": GRID_A,
        "lon": "",
        "lat": "",
        "crs": "gcj02",
        "building_use": "01",
        "owner_id_number": "",
        "owner_name": "",
        "rental_use": "",
        "hazard": "00",
        "management_class": "",
    }
    return {**data, **changes}


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- Houses ----------------------------------------------------------------------------


def test_a_grid_worker_registers_a_house_in_their_grid_by_default(signed_in, grid_worker_a, tenant):
    client = signed_in(grid_worker_a)

    form = client.get(reverse("people:house_register")).context["form"]
    response = client.post(
        reverse("people:house_register"),
        house_data(owner_id_number=tenant.id_number.lower(), rented="on", rental_use="02"),
    )

    assert form.initial["region_code"] == GRID_A
    house = House.objects.get(address="测试巷9号")
    assert response.url == reverse("people:house", args=[house.pk])
    assert (house.owner, house.rented, house.rental_use) == (tenant, True, "02")
    page = text_of(client.get(response.url))
    assert "实有房屋已登记" in page or "房屋已登记" in page
    assert reverse("people:house_edit", args=[house.pk]) in page


def test_a_house_is_located_from_coordinates_when_no_grid_is_given(signed_in, grid_worker_a):
    lon, lat = coords.wgs84_to_gcj02(*point_in(GRID_A))

    response = signed_in(grid_worker_a).post(
        reverse("people:house_register"), house_data(region_code="", lon=lon, lat=lat)
    )

    assert response.status_code == 302
    assert House.objects.get(address="测试巷9号").region_code == GRID_A


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"region_code": GRID_B}, "region_code", "范围"),
        ({"region_code": "", "lon": "116.397", "lat": "39.909"}, "lon", "坐标"),
        ({"region_code": "", "lon": "", "lat": ""}, "region_code", "网格"),
        ({"rental_use": "02"}, "rental_use", "出租"),
        ({"owner_id_number": "620502198001010000"}, "owner_id_number", "范围"),
        ({"address": ""}, "address", ""),
    ],
)
def test_a_house_with_bad_input_is_refused_with_a_clear_message(
    signed_in, grid_worker_a, changes, field, message
):
    response = signed_in(grid_worker_a).post(
        reverse("people:house_register"), house_data(**changes)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert message in " ".join(errors)
    assert not House.objects.filter(address__in=["测试巷9号", ""]).exists()


def test_coordinates_in_a_grid_out_of_reach_are_refused(signed_in, grid_worker_a):
    lon, lat = point_in(GRID_B)

    response = signed_in(grid_worker_a).post(
        reverse("people:house_register"), house_data(region_code="", lon=lon, lat=lat, crs="wgs84")
    )

    assert response.context["form"].errors["lon"]
    assert not House.objects.filter(address="测试巷9号").exists()


def test_a_house_is_updated_and_its_history_shown(signed_in, grid_worker_a, house):
    client = signed_in(grid_worker_a)

    form = client.get(reverse("people:house_edit", args=[house.pk])).context["form"]
    data = house_data(address="测试巷1号", hazard="01", version=1, crs="wgs84")
    response = client.post(reverse("people:house_edit", args=[house.pk]), data)

    assert form.initial["version"] == 1
    house.refresh_from_db()
    assert response.status_code == 302
    assert (house.hazard, house.version) == ("01", 2)
    history = client.get(reverse("people:house", args=[house.pk]))
    assert [row["action"] for row in history.context["history"]] == ["更新", "登记"]
    assert "火灾" in text_of(history)


def test_a_house_update_over_a_stale_version_is_refused_with_a_clear_message(
    signed_in, grid_worker_a, house
):
    stale = house_data(address="测试巷1号", hazard="02", version=1)
    places.house_update(actor=None, house=house, values={"hazard": "01"}, version=1)

    response = signed_in(grid_worker_a).post(reverse("people:house_edit", args=[house.pk]), stale)

    house.refresh_from_db()
    assert response.status_code == 200
    assert "其他人" in " ".join(response.context["form"].non_field_errors())
    assert house.hazard == "01"


def test_a_house_of_another_grid_is_not_found(signed_in, grid_worker_b, house, tenant):
    client = signed_in(grid_worker_b)
    pages = [
        reverse("people:house_edit", args=[house.pk]),
        reverse("people:house", args=[house.pk]),
        reverse("people:house_resident_add", args=[house.pk]),
        reverse("people:house_resident_remove", args=[house.pk, tenant.pk]),
    ]

    for page in pages:
        assert client.get(page).status_code == 404
        assert (
            client.post(page, house_data(version=1, id_number=tenant.id_number)).status_code == 404
        )
    house.refresh_from_db()
    assert house.version == 1


def test_a_leader_sees_a_house_but_may_not_register_or_change_one(signed_in, leader, house, tenant):
    client = signed_in(leader)

    assert client.get(reverse("people:house", args=[house.pk])).status_code == 200
    assert client.post(reverse("people:house_register"), house_data()).status_code == 403
    assert client.get(reverse("people:house_edit", args=[house.pk])).status_code == 403
    residents = reverse("people:house_resident_add", args=[house.pk])
    assert client.post(residents, {"id_number": tenant.id_number, "version": 1}).status_code == 403
    remove = reverse("people:house_resident_remove", args=[house.pk, tenant.pk])
    assert client.post(remove, {"version": 1}).status_code == 403
    assert not House.objects.filter(address="测试巷9号").exists()
    assert 'href="/people/houses/new/"' not in text_of(client.get(reverse("people:houses")))


def test_a_department_handler_may_not_see_house_history(signed_in, department_handler, house):
    response = signed_in(department_handler).get(reverse("people:house", args=[house.pk]))

    assert response.status_code == 403


def test_a_resident_is_added_and_removed_from_the_house_page(
    signed_in, grid_worker_a, house, tenant
):
    client = signed_in(grid_worker_a)
    add = reverse("people:house_resident_add", args=[house.pk])

    added = client.post(add, {"id_number": tenant.id_number, "version": 1})
    page = text_of(client.get(reverse("people:house", args=[house.pk])))
    removed = client.post(
        reverse("people:house_resident_remove", args=[house.pk, tenant.pk]), {"version": 2}
    )

    assert added.status_code == 302 and removed.status_code == 302
    assert "岑租客" in page
    tenant.refresh_from_db()
    assert tenant.house_id is None and tenant.version == 3
    assert AuditEntry.objects.filter(action="people.house_resident_added").exists()


def test_adding_a_resident_out_of_reach_or_unknown_is_refused(signed_in, grid_worker_a, house):
    other = person_registered(name="岑远方", region_code=GRID_B)
    client = signed_in(grid_worker_a)
    add = reverse("people:house_resident_add", args=[house.pk])

    for number in (other.id_number, "620502198001010000", "abc"):
        response = client.post(add, {"id_number": number, "version": 1})
        assert "您的管辖范围内没有此人" in text_of(response), number

    other.refresh_from_db()
    assert other.house_id is None


def test_removing_a_resident_someone_else_removed_shows_a_conflict(
    signed_in, grid_worker_a, house, tenant
):
    places.house_resident_add(actor=None, house=house, person=tenant, version=1)
    places.house_resident_remove(actor=None, house=house, person=tenant, version=None)
    client = signed_in(grid_worker_a)

    stale = client.post(
        reverse("people:house_resident_remove", args=[house.pk, tenant.pk]), {"version": 2}
    )
    current = client.post(
        reverse("people:house_resident_remove", args=[house.pk, tenant.pk]), {"version": 3}
    )

    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert "不再住在" in " ".join(current.context["form"].non_field_errors())


# --- Households ------------------------------------------------------------------------


def test_a_grid_worker_registers_and_updates_a_household(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)

    response = client.post(
        reverse("people:household_register"),
        {"number": "H200", "address": "甘肃省天水市秦州区测试巷3号", "region_code": GRID_A},
    )
    household = Household.objects.get(number="H200")
    edited = client.post(
        reverse("people:household_edit", args=[household.pk]),
        {
            "number": "H201",
            "address": "甘肃省天水市秦州区测试巷3号",
            "region_code": GRID_A,
            "version": 1,
        },
    )

    assert response.url == reverse("people:household", args=[household.pk])
    assert edited.status_code == 302
    household.refresh_from_db()
    assert (household.number, household.version) == ("H201", 2)
    history = client.get(reverse("people:household", args=[household.pk]))
    assert "H200 → H201" in text_of(history)
    assert "测试巷3号" not in text_of(history)  # the address is masked, on the page too


def test_a_household_with_bad_input_is_refused(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)

    out_of_reach = client.post(
        reverse("people:household_register"),
        {"number": "H300", "address": "测试巷3号", "region_code": GRID_B},
    )
    no_address = client.post(
        reverse("people:household_register"),
        {"number": "H300", "address": "", "region_code": GRID_A},
    )

    assert out_of_reach.context["form"].errors["region_code"]
    assert no_address.context["form"].errors["address"]
    assert not Household.objects.filter(number="H300").exists()


def test_a_household_update_over_a_stale_version_is_refused(signed_in, grid_worker_a, household):
    places.household_update(actor=None, household=household, values={"number": "H101"}, version=1)

    response = signed_in(grid_worker_a).post(
        reverse("people:household_edit", args=[household.pk]),
        {"number": "H102", "address": "测试巷1号", "region_code": GRID_A, "version": 1},
    )

    household.refresh_from_db()
    assert response.context["form"].non_field_errors()
    assert household.number == "H101"


def test_members_are_added_with_their_relation_and_removed(
    signed_in, grid_worker_a, household, tenant
):
    client = signed_in(grid_worker_a)
    add = reverse("people:household_member_add", args=[household.pk])

    no_relation = client.post(add, {"id_number": tenant.id_number, "version": 1})
    added = client.post(
        add, {"id_number": tenant.id_number, "relation_to_head": "02", "version": 1}
    )
    page = text_of(client.get(reverse("people:household", args=[household.pk])))
    removed = client.post(
        reverse("people:household_member_remove", args=[household.pk, tenant.pk]), {"version": 2}
    )

    assert no_relation.context["form"].errors["relation_to_head"]
    assert added.status_code == 302 and removed.status_code == 302
    assert "户主" in page
    tenant.refresh_from_db()
    assert tenant.household_id is None and tenant.relation_to_head == ""


def test_a_second_head_or_a_stale_member_form_is_refused(
    signed_in, grid_worker_a, household, tenant
):
    places.household_member_add(
        actor=None, household=household, person=tenant, relation="02", version=1
    )
    other = person_registered(name="岑二", region_code=GRID_A)
    client = signed_in(grid_worker_a)
    add = reverse("people:household_member_add", args=[household.pk])

    second_head = client.post(
        add, {"id_number": other.id_number, "relation_to_head": "02", "version": 2}
    )
    stale = client.post(add, {"id_number": other.id_number, "relation_to_head": "10", "version": 1})

    assert "户主" in " ".join(second_head.context["form"].errors["relation_to_head"])
    assert "其他人" in " ".join(stale.context["form"].non_field_errors())
    other.refresh_from_db()
    assert other.household_id is None


def test_household_pages_are_not_found_out_of_reach_and_refused_without_capability(
    signed_in, grid_worker_b, leader, household, tenant
):
    pages = [
        reverse("people:household_edit", args=[household.pk]),
        reverse("people:household_member_add", args=[household.pk]),
        reverse("people:household_member_remove", args=[household.pk, tenant.pk]),
    ]
    outsider = signed_in(grid_worker_b)
    for page in [*pages, reverse("people:household", args=[household.pk])]:
        assert outsider.get(page).status_code == 404
    viewer = signed_in(leader)
    for page in pages:
        assert viewer.post(page, {"version": 1, "number": "X"}).status_code == 403
    assert viewer.get(reverse("people:household_register")).status_code == 403
    household.refresh_from_db()
    assert household.version == 1


# --- Organisations ---------------------------------------------------------------------


def organisation_data(**changes):  # type: ignore[no-untyped-def]
    data = {
        "name": "岑氏五金店",
        "kind": "03",
        "credit_code": credit_code("MA11111Q"),
        "legal_representative": "岑老板",
        "representative_mobile": "13800005678",
        "address": "测试巷5号",
        "region_code": GRID_A,
        "employees": "3",
        "key_unit": "on",
        "attention": "02",
    }
    return {**data, **changes}


def test_a_grid_worker_registers_an_organisation_with_a_masked_mobile(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)

    response = client.post(reverse("people:organisation_register"), organisation_data())

    organisation = Organisation.objects.get(name="岑氏五金店")
    assert response.url == reverse("people:organisation", args=[organisation.pk])
    assert (organisation.employees, organisation.key_unit) == (3, True)
    page = text_of(client.get(response.url))
    assert "13800005678" not in page and "138****5678" in page
    assert reverse("people:organisation_edit", args=[organisation.pk]) in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"credit_code": "91620502MA11111Q"}, "credit_code", "18"),
        ({"credit_code": credit_code("MA11111Q")[:-1] + "Y"}, "credit_code", "输错"),
        ({"representative_mobile": "1380000"}, "representative_mobile", "11"),
        ({"region_code": GRID_B}, "region_code", "范围"),
        ({"employees": "-1"}, "employees", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_an_organisation_with_bad_input_is_refused_with_a_clear_message(
    signed_in, grid_worker_a, changes, field, message
):
    response = signed_in(grid_worker_a).post(
        reverse("people:organisation_register"), organisation_data(**changes)
    )

    assert message in " ".join(response.context["form"].errors[field])
    assert not Organisation.objects.filter(address="测试巷5号").exists()


def test_a_credit_code_registered_already_is_refused_on_the_page(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)
    client.post(reverse("people:organisation_register"), organisation_data())

    response = client.post(
        reverse("people:organisation_register"), organisation_data(name="岑氏二店")
    )

    assert "已登记" in " ".join(response.context["form"].errors["credit_code"])
    assert not Organisation.objects.filter(name="岑氏二店").exists()


def test_an_organisation_is_updated_and_a_stale_update_refused(
    signed_in, grid_worker_a, organisation
):
    client = signed_in(grid_worker_a)
    url = reverse("people:organisation_edit", args=[organisation.pk])
    data = organisation_data(name="岑记商店", credit_code="", version=1)

    first = client.post(url, data)
    second = client.post(url, {**data, "employees": "8"})

    organisation.refresh_from_db()
    assert first.status_code == 302 and second.status_code == 200
    assert "其他人" in " ".join(second.context["form"].non_field_errors())
    assert (organisation.employees, organisation.version) == (3, 2)
    history = client.get(reverse("people:organisation", args=[organisation.pk]))
    assert "138****5678" in text_of(history) and "13800005678" not in text_of(history)


def test_organisation_pages_are_not_found_out_of_reach_and_refused_without_capability(
    signed_in, grid_worker_b, leader, organisation
):
    edit = reverse("people:organisation_edit", args=[organisation.pk])
    history = reverse("people:organisation", args=[organisation.pk])
    outsider = signed_in(grid_worker_b)
    assert outsider.get(edit).status_code == 404
    assert outsider.post(edit, organisation_data(version=1)).status_code == 404
    assert outsider.get(history).status_code == 404
    viewer = signed_in(leader)
    assert viewer.get(history).status_code == 200
    assert viewer.post(edit, organisation_data(version=1)).status_code == 403
    assert (
        viewer.post(reverse("people:organisation_register"), organisation_data()).status_code == 403
    )
    organisation.refresh_from_db()
    assert organisation.version == 1
    assert not Organisation.objects.filter(name="岑氏五金店").exists()


def test_changes_on_the_person_page_show_the_house_they_moved_into(
    signed_in, grid_worker_a, house, tenant
):
    places.house_resident_add(actor=grid_worker_a, house=house, person=tenant, version=1)

    response = signed_in(grid_worker_a).get(reverse("people:detail", args=[tenant.pk]))

    assert "测试巷1号" in text_of(response)
    assert Change.objects.filter(record_type="person", record_id=tenant.pk).count() == 2
    assert Person.objects.get(pk=tenant.pk).house == house


# --- API -------------------------------------------------------------------------------

JSON = "application/json"


def test_the_api_registers_a_house_located_from_coordinates(signed_in, grid_worker_a, tenant):
    lon, lat = coords.wgs84_to_gcj02(*point_in(GRID_A))
    body = {
        "address": "测试巷30号",
        "lon": lon,
        "lat": lat,
        "crs": "gcj02",
        "building_use": "01",
        "owner_id_number": tenant.id_number,
    }

    response = signed_in(grid_worker_a).post("/api/v1/houses", body, content_type=JSON)

    assert response.status_code == 201, response.json()
    assert response.json()["region_code"] == GRID_A
    assert response.json()["owner_id"] == tenant.pk
    assert tenant.id_number not in response.content.decode()


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"region_code": GRID_B}, 422, "region_code"),
        ({"region_code": "", "lon": 116.397, "lat": 39.909}, 422, "lon"),
        ({"rental_use": "02"}, 422, "rental_use"),
        ({"owner_id_number": "620502198001010000"}, 422, "owner_id_number"),
        ({"rented": "maybe"}, 422, "rented"),
    ],
)
def test_the_api_refuses_a_bad_house_and_saves_nothing(
    signed_in, grid_worker_a, changes, status, field
):
    body = {"address": "测试巷31号", "region_code": GRID_A, "building_use": "01", **changes}

    response = signed_in(grid_worker_a).post("/api/v1/houses", body, content_type=JSON)

    assert response.status_code == status
    assert field in " ".join(response.json()["fields"])
    assert not House.objects.filter(address="测试巷31号").exists()


def test_the_api_updates_a_house_and_answers_a_stale_version_with_409(
    signed_in, grid_worker_a, house
):
    client = signed_in(grid_worker_a)
    url = f"/api/v1/houses/{house.pk}"

    first = client.patch(url, {"hazard": "01", "version": 1}, content_type=JSON)
    stale = client.patch(url, {"hazard": "02", "version": 1}, content_type=JSON)
    null = client.patch(url, {"address": None, "version": 2}, content_type=JSON)

    assert first.status_code == 200 and first.json()["version"] == 2
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert null.status_code == 422
    house.refresh_from_db()
    assert (house.hazard, house.version) == ("01", 2)


def test_the_api_keeps_houses_households_and_organisations_in_scope(
    signed_in, grid_worker_b, leader, house, household, organisation
):
    urls = [
        f"/api/v1/houses/{house.pk}",
        f"/api/v1/households/{household.pk}",
        f"/api/v1/organisations/{organisation.pk}",
    ]
    outsider = signed_in(grid_worker_b)
    for url in urls:
        assert outsider.get(url).status_code == 404
        assert outsider.patch(url, {"version": 1}, content_type=JSON).status_code == 404
    viewer = signed_in(leader)
    for url in urls:
        assert viewer.get(url).status_code == 200
        assert viewer.patch(url, {"version": 1}, content_type=JSON).status_code == 403
    for url in ("/api/v1/houses", "/api/v1/households", "/api/v1/organisations"):
        assert viewer.post(url, {}, content_type=JSON).status_code in {403, 422}
    body = {"name": "岑记", "kind": "03", "address": "测试巷", "region_code": GRID_A}
    assert viewer.post("/api/v1/organisations", body, content_type=JSON).status_code == 403
    assert not Organisation.objects.filter(name="岑记").exists()


def test_the_api_registers_a_household_with_its_address_masked(signed_in, grid_worker_a):
    body = {"number": "H900", "address": "甘肃省天水市秦州区测试巷40号", "region_code": GRID_A}
    client = signed_in(grid_worker_a)

    response = client.post("/api/v1/households", body, content_type=JSON)
    refused = client.post(
        "/api/v1/households", {**body, "number": "H901", "region_code": GRID_B}, content_type=JSON
    )

    assert response.status_code == 201
    assert response.json()["address_masked"] == "甘肃省天水市******"
    assert "测试巷40号" not in response.content.decode()
    assert refused.status_code == 422 and not Household.objects.filter(number="H901").exists()
    url = f"/api/v1/households/{response.json()['id']}"
    assert client.patch(url, {"number": "H902", "version": 1}, content_type=JSON).status_code == 200
    assert client.patch(url, {"number": "H903", "version": 1}, content_type=JSON).status_code == 409


def test_the_api_registers_an_organisation_and_refuses_a_taken_credit_code(
    signed_in, grid_worker_a
):
    body = {
        "name": "岑记API店",
        "kind": "03",
        "address": "测试巷50号",
        "region_code": GRID_A,
        "credit_code": credit_code("MA33333X"),
        "representative_mobile": "13800003333",
    }
    client = signed_in(grid_worker_a)

    response = client.post("/api/v1/organisations", body, content_type=JSON)
    taken = client.post("/api/v1/organisations", {**body, "name": "岑记二店"}, content_type=JSON)
    bad_mobile = client.post(
        "/api/v1/organisations",
        {**body, "name": "岑记三店", "credit_code": "", "representative_mobile": "123"},
        content_type=JSON,
    )

    assert response.status_code == 201
    assert response.json()["representative_mobile_masked"] == "138****3333"
    assert "13800003333" not in response.content.decode()
    assert taken.status_code == 422 and "credit_code" in taken.json()["fields"]
    assert bad_mobile.status_code == 422
    assert Organisation.objects.filter(name__startswith="岑记").count() == 1


def test_the_openapi_document_lists_every_place_operation(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for kind, key in (("houses", "house_id"), ("households", "household_id")):
        assert set(paths[f"/api/v1/{kind}"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{kind}/{{{key}}}"]) == {"get", "patch"}
    assert set(paths["/api/v1/organisations"]) == {"get", "post"}
    assert set(paths["/api/v1/organisations/{organisation_id}"]) == {"get", "patch"}


def test_a_representatives_mobile_is_shown_in_full_only_for_a_purpose_and_audited(
    signed_in, grid_worker_a, grid_worker_b, organisation
):
    organisations.organisation_update(
        actor=None,
        organisation=organisation,
        values={"representative_mobile": "13800004444"},
        version=1,
    )
    page = reverse("people:organisation", args=[organisation.pk])
    unmask = reverse("privacy:unmask", args=["organisation", organisation.pk])
    client = signed_in(grid_worker_a)

    masked = text_of(client.get(page))
    no_purpose = client.post(unmask, {"purpose": "", "purpose_text": "", "next": page})
    granted = client.post(
        unmask, {"purpose": "verification", "purpose_text": "核实经营者", "next": page}
    )
    full = text_of(client.get(page))
    outsider = signed_in(grid_worker_b).get(unmask)

    assert "13800004444" not in masked and "138****4444" in masked
    assert no_purpose.status_code == 400  # the form again, with what is missing
    assert granted.status_code == 302
    assert "13800004444" in full
    assert AuditEntry.objects.filter(
        action="personal.unmask", target_id=str(organisation.pk)
    ).exists()
    assert outsider.status_code == 404


def test_the_lists_of_houses_households_and_organisations_are_paged_and_scoped(
    signed_in, grid_worker_a, grid_worker_b, department_handler, house, household, organisation
):
    mine = signed_in(grid_worker_a)
    found = {
        kind: mine.get(f"/api/v1/{kind}", {"region": GRID_A, "limit": 500}).json()
        for kind in ("houses", "households", "organisations")
    }
    theirs = signed_in(grid_worker_b).get("/api/v1/houses", {"limit": 500}).json()
    bad_region = mine.get("/api/v1/houses", {"region": "12"})
    refused = signed_in(department_handler).get("/api/v1/organisations")

    assert house.pk in [item["id"] for item in found["houses"]["items"]]
    assert household.pk in [item["id"] for item in found["households"]["items"]]
    assert organisation.pk in [item["id"] for item in found["organisations"]["items"]]
    assert {item["region_code"] for item in found["houses"]["items"]} == {GRID_A}
    assert house.pk not in [item["id"] for item in theirs["items"]]
    assert bad_region.status_code == 422
    assert refused.status_code == 403
