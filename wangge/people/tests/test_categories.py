"""A person's categories with their details, tags, and foreign nationals registered by another
document: services and pages."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wangge.audit.models import AuditEntry
from wangge.core.errors import EditConflict
from wangge.people import services_categories
from wangge.people.categories import details_checked
from wangge.people.models import Change, Person
from wangge.people.tests.factories import person_registered

GRID_A = "620502001001001"


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def cen(db):  # type: ignore[no-untyped-def]
    return person_registered(name="岑彧珺")


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def test_details_are_checked_against_the_code_tables():
    stored = details_checked(
        "floating",
        {"inflow_reason": "01", "registered_on": datetime.date(2026, 1, 5), "permit_number": " "},
    )

    assert stored == {"inflow_reason": "01", "registered_on": "2026-01-05"}
    with pytest.raises(ValidationError) as refused:
        details_checked(
            "foreign",
            {"nationality": "XXX", "arrived_on": "2026-02-30", "leaves_on": "2026-01-01"},
        )
    assert set(refused.value.message_dict) == {"nationality", "arrived_on"}
    with pytest.raises(ValidationError) as backwards:
        details_checked(
            "foreign", {"nationality": "KOR", "arrived_on": "2026-03-01", "leaves_on": "2026-01-01"}
        )
    assert set(backwards.value.message_dict) == {"leaves_on"}


def test_a_category_is_added_changed_and_ended_with_its_history(grid_worker_a, cen):
    services_categories.person_category_set(
        actor=grid_worker_a,
        person=cen,
        kind="left_behind",
        details={"left_behind_type": "01"},
        starts_on=None,
        version=1,
    )
    services_categories.person_category_set(
        actor=grid_worker_a,
        person=cen,
        kind="left_behind",
        details={"left_behind_type": "01", "health": "03"},
        starts_on=None,
        version=2,
    )
    with pytest.raises(EditConflict):
        services_categories.person_category_end(
            actor=grid_worker_a,
            person=cen,
            kind="left_behind",
            on=datetime.date(2026, 1, 1),
            version=2,
        )
    services_categories.person_category_end(
        actor=grid_worker_a, person=cen, kind="left_behind", on=datetime.date(2026, 1, 1), version=3
    )

    category = cen.categories.get()
    assert category.details == {"left_behind_type": "01", "health": "03"}
    assert category.ends_on == datetime.date(2026, 1, 1)
    actions = list(
        Change.objects.filter(record_type="person", record_id=cen.pk).values_list(
            "action", flat=True
        )
    )
    assert actions[:3] == ["category_ended", "category_changed", "category_added"]
    assert AuditEntry.objects.filter(action="people.person_category_added").exists()


def test_tags_are_cleaned_and_limited(grid_worker_a, cen):
    person = services_categories.person_tags_set(
        actor=grid_worker_a, person=cen, tags=[" 低保 ", "低保", "", "独居  老人"], version=1
    )

    assert list(person.tags.order_by("id").values_list("name", flat=True)) == ["低保", "独居 老人"]
    with pytest.raises(ValidationError):
        services_categories.person_tags_set(
            actor=grid_worker_a,
            person=cen,
            tags=["标"] * 0 + [str(n) for n in range(21)],
            version=2,
        )
    assert Person.objects.get(pk=cen.pk).version == 2


def test_a_grid_worker_adds_a_category_on_the_page(signed_in, grid_worker_a, cen):
    client = signed_in(grid_worker_a)
    url = reverse("people:category", args=[cen.pk, "floating"])

    form = client.get(url)
    missing = client.post(url, {"version": 1, "inflow_reason": ""})
    unknown = client.post(url, {"version": 1, "inflow_reason": "77"})
    saved = client.post(
        url,
        {"version": 1, "inflow_reason": "03", "registered_on": "2026-03-01", "permit_type": "01"},
    )
    page = text_of(client.get(reverse("people:detail", args=[cen.pk])))

    assert form.status_code == 200
    assert "流入原因" in text_of(form) or "来此原因" in text_of(form)
    assert missing.status_code == 200 and missing.context["form"].errors["inflow_reason"]
    assert unknown.status_code == 200 and unknown.context["form"].errors["inflow_reason"]
    assert saved.status_code == 302
    assert cen.categories.get().details == {
        "inflow_reason": "03",
        "registered_on": "2026-03-01",
        "permit_type": "01",
    }
    assert "经商" in page and "居住证" in page


def test_the_category_pages_refuse_outsiders_viewers_unknown_kinds_and_stale_versions(
    signed_in, grid_worker_a, grid_worker_b, leader, cen
):
    url = reverse("people:category", args=[cen.pk, "floating"])
    data = {"version": 1, "inflow_reason": "01"}
    services_categories.person_tags_set(actor=None, person=cen, tags=["低保"], version=1)
    # now at version 2

    outsider = signed_in(grid_worker_b).post(url, data)
    viewer = signed_in(leader).post(url, data)
    unknown = signed_in(grid_worker_a).get(reverse("people:category", args=[cen.pk, "alien"]))
    stale = signed_in(grid_worker_a).post(url, data)
    end_missing = signed_in(grid_worker_a).post(
        reverse("people:category_end", args=[cen.pk, "floating"]),
        {"version": 2, "on": "2026-01-01"},
    )

    assert outsider.status_code == 404
    assert viewer.status_code == 403
    assert unknown.status_code == 404
    assert stale.status_code == 200
    assert "其他人" in text_of(stale) or stale.context["form"].non_field_errors()
    assert end_missing.status_code == 200 and end_missing.context["form"].non_field_errors()
    assert not cen.categories.exists()


def test_the_tags_page_saves_and_the_list_filters_by_tag(
    signed_in, grid_worker_a, grid_worker_b, cen
):
    client = signed_in(grid_worker_a)
    url = reverse("people:tags", args=[cen.pk])

    saved = client.post(url, {"version": 1, "tags": "试点户，独居老人、 低保"})
    too_long = client.post(url, {"version": 2, "tags": "长" * 21})
    listed = client.get(reverse("people:list"), {"tag": "试点户"})

    assert saved.status_code == 302
    assert list(cen.tags.order_by("id").values_list("name", flat=True)) == [
        "试点户",
        "独居老人",
        "低保",
    ]
    assert too_long.status_code == 200 and too_long.context["form"].errors["tags"]
    assert [person.name for person in listed.context["page"]] == ["岑彧珺"]
    assert signed_in(grid_worker_b).get(url).status_code == 404


def test_a_foreign_national_is_registered_on_the_page_by_passport(signed_in, grid_worker_a):
    client = signed_in(grid_worker_a)
    data = {
        "id_type": "414",
        "id_number": "E1234567",
        "name": "金敏俊",
        "region_code": GRID_A,
        "sex": "",
        "birth_date": "",
    }

    without_birth = client.post(reverse("people:register"), data)
    bad_number = client.post(reverse("people:register"), {**data, "id_number": "E1"})
    saved = client.post(
        reverse("people:register"), {**data, "sex": "1", "birth_date": "1990-05-06"}
    )

    assert without_birth.status_code == 200
    assert without_birth.context["form"].errors
    assert bad_number.context["form"].errors["id_number"]
    assert saved.status_code == 302
    person = Person.objects.get(id_number="E1234567")
    assert (person.id_type, person.birth_date) == ("414", datetime.date(1990, 5, 6))
    page = text_of(client.get(reverse("people:detail", args=[person.pk])))
    assert "普通护照" in page and "E1234567" not in page


def test_a_category_without_its_required_details_says_what_to_fill_in(
    signed_in, grid_worker_a, cen
):
    from wangge.people.models import PersonCategory

    PersonCategory.objects.create(person=cen, kind="floating", details={})  # as an import leaves it

    page = text_of(signed_in(grid_worker_a).get(reverse("people:detail", args=[cen.pk])))

    assert "待补充：流入原因。" in page
