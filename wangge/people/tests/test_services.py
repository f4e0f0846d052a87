"""Register, update, move, close and merge: rules, history, audit, conflicts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wangge.audit.models import AuditEntry
from wangge.core.errors import EditConflict
from wangge.people import services
from wangge.people.models import Change, Person, PersonCategory, PersonStatus
from wangge.people.tests.factories import identity_number, person_registered

pytestmark = pytest.mark.django_db


def test_registering_derives_birth_date_sex_and_search_keys(grid_worker_a):
    number = identity_number(datetime.date(1990, 2, 3), male=False)

    person = person_registered(actor=grid_worker_a, id_number=number, name="阿卜杜·热合曼")

    assert person.birth_date == datetime.date(1990, 2, 3)
    assert person.sex == "2"
    assert (person.name_pinyin, person.name_initials) == ("abudureheman", "abdrhm")
    assert Change.objects.get(record_id=person.pk).changes["id_number"].count("*") == 8
    entry = AuditEntry.objects.get(action="people.person_registered")
    assert entry.region_code == "620502001001001"
    assert number not in str(entry.details)


@pytest.mark.parametrize(
    "number, field",
    [
        ("62050219800517001", "id_number"),  # 17 characters
        ("620502198005170010", "id_number"),  # wrong check character
        ("620502198002300013", "id_number"),  # 30 February
    ],
)
def test_a_bad_identity_number_is_refused_and_nothing_saved(number, field):
    with pytest.raises(ValidationError) as refused:
        services.person_register(
            actor=None, id_number=number, region_code="620502001001001", values={"name": "王五"}
        )

    assert field in refused.value.message_dict
    assert not Person.objects.filter(name="王五").exists()


def test_a_duplicate_identity_number_or_a_non_grid_is_refused():
    person = person_registered()

    before = Person.objects.count()

    with pytest.raises(ValidationError) as duplicate:
        person_registered(id_number=person.id_number)
    assert list(duplicate.value.message_dict) == ["id_number"]
    with pytest.raises(ValidationError):
        person_registered(region_code="620502001001")
    assert Person.objects.count() == before


def test_a_birth_date_disagreeing_with_the_identity_number_is_refused():
    with pytest.raises(ValidationError) as refused:
        person_registered(
            id_number=identity_number(datetime.date(1980, 5, 17)),
            birth_date=datetime.date(1981, 5, 17),
        )

    assert "birth_date" in refused.value.message_dict


def test_updating_keeps_history_and_a_stale_version_is_a_conflict(grid_worker_a):
    person = person_registered(mobile="13800000001")
    seen = person.version

    updated = services.person_update(
        actor=grid_worker_a, person=person, values={"mobile": "13900000002"}, version=seen
    )
    with pytest.raises(EditConflict):
        services.person_update(
            actor=grid_worker_a, person=person, values={"occupation": "教师"}, version=seen
        )

    assert updated.version == seen + 1
    change = Change.objects.get(record_id=person.pk, action="updated")
    assert change.changes["mobile"] == ["138****0001", "139****0002"]
    assert Person.objects.get(pk=person.pk).occupation == ""


def test_moving_to_another_grid_keeps_the_old_one_in_the_history(grid_worker_a):
    person = person_registered()

    moved = services.person_move(
        actor=grid_worker_a, person=person, region_code="620502001001002", version=person.version
    )

    assert moved.region_code == "620502001001002"
    change = Change.objects.get(record_id=person.pk, action="moved")
    assert change.changes["region_code"] == ["620502001001001", "620502001001002"]
    with pytest.raises(ValidationError):
        services.person_move(
            actor=grid_worker_a, person=moved, region_code="999", version=moved.version
        )


def test_moving_out_and_death_close_the_record_and_its_categories(grid_worker_a):
    person = person_registered()
    PersonCategory.objects.create(person=person, kind="registered")
    day = datetime.date(2026, 6, 1)

    closed = services.person_status_set(
        actor=grid_worker_a, person=person, status=PersonStatus.DECEASED, on=day, version=None
    )

    assert closed.status == PersonStatus.DECEASED
    assert PersonCategory.objects.get(person=person).ends_on == day
    with pytest.raises(EditConflict):
        services.person_status_set(
            actor=grid_worker_a, person=closed, status=PersonStatus.MOVED_OUT, on=day, version=None
        )


def test_merging_keeps_both_records_and_moves_the_categories(dispatcher):
    survivor = person_registered(name="李娜")
    duplicate = person_registered(name="李 娜")
    PersonCategory.objects.create(person=duplicate, kind="floating", details={"reason": "01"})

    kept = services.person_merge(actor=dispatcher, survivor=survivor, duplicate=duplicate)

    duplicate.refresh_from_db()
    assert duplicate.status == PersonStatus.MERGED
    assert duplicate.merged_into_id == kept.pk
    assert kept.categories.get().kind == "floating"
    assert AuditEntry.objects.filter(action__startswith="people.person_merged").count() == 2
    with pytest.raises(EditConflict):
        services.person_merge(actor=dispatcher, survivor=kept, duplicate=duplicate)
