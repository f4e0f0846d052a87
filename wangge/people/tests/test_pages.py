"""The register's pages: list and search, a person's record, register, update, move, close."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wangge.audit.models import AuditEntry
from wangge.people import services
from wangge.people.models import Change, House, Household, Organisation, Person
from wangge.people.tests.factories import identity_number, person_registered

GRID_A, GRID_B = "620502001001001", "620502001001002"


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def zhang(db):  # type: ignore[no-untyped-def]
    """A name, mobile and address the demo population does not have."""
    return person_registered(name="岑彧珺", mobile="13800009999", current_address="测试巷99号")


def register_data(**changes):  # type: ignore[no-untyped-def]
    data = {
        "id_number": identity_number(datetime.date(1990, 3, 4)),
        "name": "岑丽娜",
        "region_code": GRID_A,
        "sex": "",
        "mobile": "",
        "id_type": "111",
    }
    return {**data, **changes}


def test_the_list_shows_people_within_reach_with_masked_identity_numbers(
    signed_in, grid_worker_a, zhang
):
    person_registered(name="岑彧琳", region_code=GRID_B)

    response = signed_in(grid_worker_a).get(reverse("people:list"), {"text": "岑彧"})

    text = response.content.decode()
    assert "岑彧珺" in text
    assert "岑彧琳" not in text
    assert zhang.id_number not in text
    assert zhang.id_number[:6] in text


def test_the_list_finds_by_pinyin_initials_mobile_and_address(signed_in, grid_worker_a, zhang):
    person_registered(name="岑刚")
    client = signed_in(grid_worker_a)

    for text in ("cenyujun", "cyj", "13800009999", "测试巷99", zhang.id_number, "彧珺"):
        response = client.get(reverse("people:list"), {"text": text})
        assert [p.name for p in response.context["page"]] == ["岑彧珺"], text


def test_the_list_filters_by_category_and_age(signed_in, grid_worker_a, zhang):
    services.person_register(
        actor=None,
        id_number=identity_number(datetime.date(2015, 1, 1)),
        region_code=GRID_A,
        values={"name": "岑小明"},
        categories={"left_behind": {"left_behind_type": "03"}},
    )
    client = signed_in(grid_worker_a)

    by_category = client.get(reverse("people:list"), {"text": "岑", "category": "left_behind"})
    children = client.get(reverse("people:list"), {"text": "岑", "age_to": "17"})
    adults = client.get(reverse("people:list"), {"text": "岑", "age_from": "18"})

    assert [p.name for p in by_category.context["page"]] == ["岑小明"]
    assert [p.name for p in children.context["page"]] == ["岑小明"]
    assert [p.name for p in adults.context["page"]] == ["岑彧珺"]


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(signed_in, dispatcher):
    for _ in range(3):
        person_registered(name="张伟")
    client = signed_in(dispatcher)
    client.get(reverse("people:list"))

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for _ in range(5):
        person_registered(name="李四")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("people:list"), {"region": "620502001", "age_from": "18"})

    assert len(few) == len(more)
    assert len(few) <= 12


def test_the_list_refuses_a_bad_region_code_clearly(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).get(reverse("people:list"), {"region": "62x"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "6、9、12 或 15 位数字" in response.content.decode()


def test_a_department_handler_may_not_list_people(signed_in, department_handler):
    assert signed_in(department_handler).get(reverse("people:list")).status_code == 403


def test_the_record_shows_masked_personal_data_history_and_unmask_link(
    signed_in, grid_worker_a, zhang
):
    response = signed_in(grid_worker_a).get(reverse("people:detail", args=[zhang.pk]))

    text = response.content.decode()
    assert zhang.id_number not in text
    assert "13800009999" not in text
    assert reverse("privacy:unmask", args=["person", zhang.pk]) in text
    assert response.context["history"][0]["action"] in {"registered", "登记"}


def test_the_record_of_another_grid_is_not_found(signed_in, grid_worker_b, zhang):
    response = signed_in(grid_worker_b).get(reverse("people:detail", args=[zhang.pk]))

    assert response.status_code == 404


def test_a_leader_sees_a_record_but_may_not_update_it(signed_in, leader, zhang):
    client = signed_in(leader)

    assert client.get(reverse("people:detail", args=[zhang.pk])).status_code == 200
    assert client.get(reverse("people:edit", args=[zhang.pk])).status_code == 403
    assert client.post(reverse("people:move", args=[zhang.pk]), {}).status_code == 403


def test_a_grid_worker_registers_into_their_own_grid_by_default(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)

    form = client.get(reverse("people:register")).context["form"]
    response = client.post(reverse("people:register"), register_data())

    assert form.initial["region_code"] == GRID_A
    person = Person.objects.get(name="岑丽娜")
    assert response.url == reverse("people:detail", args=[person.pk])
    assert person.birth_date == datetime.date(1990, 3, 4)
    assert person.sex == "1"
    assert not person.categories.exists()  # added on the person's page, with their details
    assert AuditEntry.objects.filter(
        action="people.person_registered", target_id=str(person.pk)
    ).exists()


def test_registering_into_a_grid_out_of_reach_is_refused(signed_in, grid_worker_a):
    response = signed_in(grid_worker_a).post(
        reverse("people:register"), register_data(region_code=GRID_B)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["region_code"]
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_mistyped_identity_number_is_refused_with_a_clear_message(signed_in, grid_worker_a):
    number = identity_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")

    response = signed_in(grid_worker_a).post(
        reverse("people:register"), register_data(id_number=wrong)
    )

    assert "mistyped" in str(response.context["form"].errors["id_number"]) or (
        "输错" in response.content.decode()
    )
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_duplicate_identity_number_is_refused(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:register"), register_data(id_number=zhang.id_number)
    )

    assert response.context["form"].errors["id_number"]
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_resident_may_not_register_people(signed_in, resident):
    response = signed_in(resident).post(reverse("people:register"), register_data())

    assert response.status_code == 403
    assert not Person.objects.filter(name="岑丽娜").exists()


def edit_data(person, **changes):  # type: ignore[no-untyped-def]
    data = {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "version": person.version,
    }
    return {**data, **changes}


def test_an_update_is_saved_and_recorded_in_the_history(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:edit", args=[zhang.pk]), edit_data(zhang, occupation="教师")
    )

    zhang.refresh_from_db()
    assert response.status_code == 302
    assert zhang.occupation == "教师"
    assert zhang.version == 2
    assert Change.objects.filter(record_id=zhang.pk, action="updated").exists()


def test_an_update_over_a_stale_version_is_refused_with_a_clear_message(
    signed_in, grid_worker_a, zhang
):
    stale = edit_data(zhang, occupation="教师")
    services.person_update(actor=None, person=zhang, values={"occupation": "医生"}, version=1)

    response = signed_in(grid_worker_a).post(reverse("people:edit", args=[zhang.pk]), stale)

    zhang.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert zhang.occupation == "医生"


def test_an_update_with_a_bad_mobile_is_refused(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:edit", args=[zhang.pk]), edit_data(zhang, mobile="12345")
    )

    zhang.refresh_from_db()
    assert response.context["form"].errors["mobile"]
    assert zhang.mobile == "13800009999"


def test_a_dispatcher_moves_a_person_to_another_grid_of_the_township(signed_in, dispatcher, zhang):
    response = signed_in(dispatcher).post(
        reverse("people:move", args=[zhang.pk]), {"region_code": GRID_B, "version": 1}
    )

    zhang.refresh_from_db()
    assert response.status_code == 302
    assert zhang.region_code == GRID_B


def test_a_grid_worker_cannot_move_a_person_out_of_reach(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:move", args=[zhang.pk]), {"region_code": GRID_B, "version": 1}
    )

    zhang.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["region_code"]
    assert zhang.region_code == GRID_A


def test_closing_a_record_keeps_it_with_its_status(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:close", args=[zhang.pk]),
        {"status": "deceased", "on": "2026-01-02", "version": 1},
    )

    zhang.refresh_from_db()
    assert response.status_code == 302
    assert zhang.status == "deceased"


def test_closing_with_a_future_date_is_refused(signed_in, grid_worker_a, zhang):
    response = signed_in(grid_worker_a).post(
        reverse("people:close", args=[zhang.pk]),
        {"status": "deceased", "on": "2999-01-01", "version": 1},
    )

    zhang.refresh_from_db()
    assert response.context["form"].errors["on"]
    assert zhang.status == "active"


def test_household_house_and_organisation_pages_show_records_within_reach(
    signed_in, grid_worker_a, grid_worker_b, zhang
):
    household = Household.objects.create(number="001", address="东关街1号", region_code=GRID_A)
    house = House.objects.create(address="东关街1号", region_code=GRID_A, building_use="01")
    organisation = Organisation.objects.create(
        name="秦州商店", kind="03", address="东关街2号", region_code=GRID_A
    )
    Person.objects.filter(pk=zhang.pk).update(household=household, house=house)
    pages = [
        reverse("people:household", args=[household.pk]),
        reverse("people:house", args=[house.pk]),
        reverse("people:organisation", args=[organisation.pk]),
    ]
    client = signed_in(grid_worker_a)

    for page in pages:
        assert client.get(page).status_code == 200
    assert "东关街1号" in client.get(reverse("people:houses")).content.decode()
    assert "秦州商店" in client.get(reverse("people:organisations")).content.decode()
    other = signed_in(grid_worker_b)
    for page in pages:
        assert other.get(page).status_code == 404
    assert "秦州商店" not in other.get(reverse("people:organisations")).content.decode()


def test_a_department_handler_may_not_list_houses_or_organisations(signed_in, department_handler):
    client = signed_in(department_handler)

    assert client.get(reverse("people:houses")).status_code == 403
    assert client.get(reverse("people:organisations")).status_code == 403


def test_the_region_page_counts_people_by_category_within_reach(signed_in, grid_worker_a):
    def counts(response):  # type: ignore[no-untyped-def]
        return {kind: count for kind, _label, count in response.context["people_counts"]}

    client = signed_in(grid_worker_a)
    before = counts(client.get(reverse("regions:detail", args=["620502001001"])))
    for grid in (GRID_A, GRID_B):
        services.person_register(
            actor=None,
            id_number=identity_number(),
            region_code=grid,
            values={"name": "岑刚"},
            categories={"floating": {"inflow_reason": "01"}},
        )

    after = counts(client.get(reverse("regions:detail", args=["620502001001"])))

    assert after["floating"] == before["floating"] + 1  # grid B is out of reach
    assert after["registered"] == before["registered"]


def test_the_region_page_shows_no_people_counts_to_those_who_may_not_view_people(
    signed_in, department_handler
):
    response = signed_in(department_handler).get(reverse("regions:detail", args=["620502"]))

    assert response.context["people_counts"] == []


def test_the_record_links_to_who_read_it_for_those_who_may_see_reads(signed_in, admin_user, zhang):
    reads = reverse("privacy:reads", args=["person", zhang.pk])

    text = signed_in(admin_user).get(reverse("people:detail", args=[zhang.pk])).content.decode()

    assert reads in text


def test_the_record_does_not_link_to_who_read_it_for_a_grid_worker(signed_in, grid_worker_a, zhang):
    reads = reverse("privacy:reads", args=["person", zhang.pk])

    text = signed_in(grid_worker_a).get(reverse("people:detail", args=[zhang.pk])).content.decode()

    assert reads not in text


def test_a_sex_that_contradicts_the_identity_number_is_refused(signed_in, grid_worker_a):
    response = signed_in(grid_worker_a).post(reverse("people:register"), register_data(sex="2"))

    assert response.context["form"].errors["sex"]
    assert not Person.objects.filter(name="岑丽娜").exists()


def test_a_dispatcher_merges_a_duplicate_and_both_histories_stay(client, dispatcher):
    from wangge.people.models import PersonStatus

    kept = person_registered(name="合并甲", region_code="620502001001001")
    duplicate = person_registered(name="合并甲", region_code="620502001001002")
    client.force_login(dispatcher)
    url = reverse("people:merge", args=[kept.pk])

    unknown = client.post(url, {"other_id_number": "620502198001010000", "survivor": "this"})
    same = client.post(url, {"other_id_number": kept.id_number, "survivor": "this"})
    assert unknown.status_code == 200 and same.status_code == 200
    assert not Person.objects.filter(status=PersonStatus.MERGED).exists()

    response = client.post(url, {"other_id_number": duplicate.id_number, "survivor": "this"})

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == PersonStatus.MERGED and duplicate.merged_into_id == kept.pk


def test_a_grid_worker_may_not_merge(client, grid_worker_a):
    person = person_registered(name="合并乙", region_code="620502001001001")
    client.force_login(grid_worker_a)

    assert client.get(reverse("people:merge", args=[person.pk])).status_code == 403
