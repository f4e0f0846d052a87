"""Houses, households and organisations: register, update, residents and members; their rules,
history, audit and conflicts."""

import json

import pytest
import shapely
from django.core.exceptions import ValidationError

from wangge.audit.models import AuditEntry
from wangge.core import coords
from wangge.core.errors import EditConflict
from wangge.core.ids import credit_code_check_character, organisation_code_check_character
from wangge.people import services_organisations as organisations
from wangge.people import services_places as places
from wangge.people.models import Change, House, Household, Organisation
from wangge.people.tests.factories import person_registered
from wangge.regions.models import Region

pytestmark = pytest.mark.django_db
GRID_A, GRID_B = "620502001001001", "620502001001002"
BEIJING = (116.397, 39.909)


def point_in(grid: str) -> tuple[float, float]:
    """A WGS-84 point well inside the grid."""
    boundary = Region.objects.get(code=grid).boundary
    point = shapely.from_geojson(json.dumps(boundary)).representative_point()
    return point.x, point.y


def credit_code(body: str = "MA00000T") -> str:
    """A valid unified social credit code of the district with this organisation code body."""
    organisation = body + organisation_code_check_character(body)
    first17 = "91620502" + organisation
    return first17 + credit_code_check_character(first17)


def house_values(**changes):  # type: ignore[no-untyped-def]
    return {"address": "测试巷1号", "region_code": GRID_A, "building_use": "01", **changes}


def house_registered(**changes):  # type: ignore[no-untyped-def]
    return places.house_register(actor=None, values=house_values(**changes))


def test_a_house_takes_its_grid_from_phone_map_coordinates_and_stores_wgs84(grid_worker_a):
    lon, lat = point_in(GRID_A)
    gcj_lon, gcj_lat = coords.wgs84_to_gcj02(lon, lat)

    house = places.house_register(
        actor=grid_worker_a,
        values=house_values(region_code="", lon=gcj_lon, lat=gcj_lat),
        crs="gcj02",
    )

    assert house.region_code == GRID_A
    assert house.lon == pytest.approx(lon, abs=1e-6)
    assert house.lat == pytest.approx(lat, abs=1e-6)
    change = Change.objects.get(record_type="house", record_id=house.pk)
    assert change.action == "registered" and change.changes["region_code"] == GRID_A
    assert AuditEntry.objects.filter(
        action="people.house_registered", target_id=str(house.pk)
    ).exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"region_code": "", "lon": BEIJING[0], "lat": BEIJING[1]}, "lon"),
        ({"region_code": GRID_A, "lon": BEIJING[0], "lat": BEIJING[1]}, "lon"),
        ({"region_code": "", "lon": 105.7}, "lat"),
        ({"region_code": ""}, "region_code"),
        ({"region_code": "620502001001"}, "region_code"),  # a community, not a grid
        ({"rented": False, "rental_use": "02"}, "rental_use"),
    ],
)
def test_a_house_with_bad_location_or_rental_use_is_refused_and_nothing_saved(values, field):
    before = House.objects.count()

    with pytest.raises(ValidationError) as refused:
        house_registered(**values)

    assert field in refused.value.message_dict
    assert House.objects.count() == before


def test_an_update_records_the_changes_with_the_owner_masked_and_bumps_the_version():
    house = house_registered()
    owner = person_registered(name="岑房东")

    updated = places.house_update(
        actor=None,
        house=house,
        values={"owner": owner, "rented": True, "rental_use": "02"},
        version=1,
    )

    assert updated.version == 2 and updated.owner == owner
    change = Change.objects.get(record_type="house", record_id=house.pk, action="updated")
    assert owner.id_number not in str(change.changes)
    assert change.changes["owner"] == ["", places.person_label(owner)]
    assert change.changes["rental_use"] == ["", "02"]


def test_stopping_the_rental_keeps_a_rental_use_out():
    house = house_registered(rented=True, rental_use="02")

    with pytest.raises(ValidationError) as refused:
        places.house_update(actor=None, house=house, values={"rented": False}, version=1)

    assert "rental_use" in refused.value.message_dict
    house.refresh_from_db()
    assert house.rented is True and house.version == 1


def test_an_update_over_a_stale_version_is_a_conflict_and_nothing_is_saved():
    house = house_registered()
    places.house_update(actor=None, house=house, values={"hazard": "01"}, version=1)

    with pytest.raises(EditConflict):
        places.house_update(actor=None, house=house, values={"address": "别处"}, version=1)

    house.refresh_from_db()
    assert (house.address, house.hazard, house.version) == ("测试巷1号", "01", 2)


def test_a_resident_moves_in_and_out_with_both_histories(grid_worker_a):
    house = house_registered(rented=True, rental_use="02")
    person = person_registered(name="岑租客")

    places.house_resident_add(actor=grid_worker_a, house=house, person=person, version=1)
    person.refresh_from_db()
    assert person.house_id == house.pk and person.version == 2
    moved_in = Change.objects.get(record_type="person", record_id=person.pk, action="updated")
    assert moved_in.changes == {"house": ["", "测试巷1号"]}
    assert Change.objects.filter(record_type="house", action="resident_added").exists()
    assert person.id_number not in str(Change.objects.filter(record_type="house").values())

    places.house_resident_remove(actor=grid_worker_a, house=house, person=person, version=2)
    person.refresh_from_db()
    assert person.house_id is None and person.version == 3
    assert AuditEntry.objects.filter(action="people.house_resident_removed").count() == 1


def test_a_resident_cannot_be_added_twice_or_removed_after_moving_out():
    house = house_registered()
    person = person_registered(name="岑租客")
    places.house_resident_add(actor=None, house=house, person=person, version=1)

    with pytest.raises(ValidationError):
        places.house_resident_add(actor=None, house=house, person=person, version=2)
    places.house_resident_remove(actor=None, house=house, person=person, version=2)
    with pytest.raises(EditConflict):
        places.house_resident_remove(actor=None, house=house, person=person, version=None)
    with pytest.raises(EditConflict):
        places.house_resident_add(actor=None, house=house, person=person, version=1)


def test_a_household_is_registered_with_its_address_masked_in_the_history():
    household = places.household_register(
        actor=None,
        values={"number": "H001", "address": "甘肃省天水市秦州区测试巷1号", "region_code": GRID_A},
    )

    change = Change.objects.get(record_type="household", record_id=household.pk)
    assert change.changes["address"] == "甘肃省天水市******"
    assert change.changes["number"] == "H001"


def test_members_join_with_their_relation_and_one_head_only():
    household = Household.objects.create(number="H002", address="测试巷2号", region_code=GRID_A)
    head, spouse = person_registered(name="岑户主"), person_registered(name="岑配偶")

    places.household_member_add(
        actor=None, household=household, person=head, relation="02", version=1
    )
    with pytest.raises(ValidationError) as second_head:
        places.household_member_add(
            actor=None, household=household, person=spouse, relation="02", version=2
        )
    places.household_member_add(
        actor=None, household=household, person=spouse, relation="10", version=2
    )

    assert "relation_to_head" in second_head.value.message_dict
    spouse.refresh_from_db()
    assert (spouse.household_id, spouse.relation_to_head, spouse.version) == (household.pk, "10", 2)
    history = Change.objects.get(record_type="person", record_id=spouse.pk, action="updated")
    assert history.changes == {"household": ["", "H002"], "relation_to_head": ["", "10"]}


def test_a_member_of_another_household_must_leave_it_first():
    first = Household.objects.create(number="H003", address="测试巷3号", region_code=GRID_A)
    second = Household.objects.create(number="H004", address="测试巷4号", region_code=GRID_A)
    person = person_registered(name="岑成员")
    places.household_member_add(
        actor=None, household=first, person=person, relation="02", version=1
    )

    with pytest.raises(ValidationError) as refused:
        places.household_member_add(
            actor=None, household=second, person=person, relation="02", version=1
        )
    places.household_member_remove(actor=None, household=first, person=person, version=2)

    assert "id_number" in refused.value.message_dict
    person.refresh_from_db()
    assert person.household_id is None and person.relation_to_head == ""


def test_a_household_update_over_a_stale_version_is_a_conflict():
    household = Household.objects.create(number="H005", address="测试巷5号", region_code=GRID_A)
    places.household_update(actor=None, household=household, values={"number": "H006"}, version=1)

    with pytest.raises(EditConflict):
        places.household_update(
            actor=None, household=household, values={"number": "H007"}, version=1
        )
    household.refresh_from_db()
    assert household.number == "H006"


def organisation_values(**changes):  # type: ignore[no-untyped-def]
    return {
        "name": "岑记商店",
        "kind": "03",
        "address": "测试巷6号",
        "region_code": GRID_A,
        "credit_code": credit_code(),
        "representative_mobile": "13800001234",
        **changes,
    }


def test_an_organisation_is_registered_with_its_code_checked_and_mobile_masked():
    code = credit_code()

    organisation = organisations.organisation_register(
        actor=None, values=organisation_values(credit_code=code.lower()[:9] + " " + code[9:])
    )
    organisations.organisation_update(
        actor=None,
        organisation=organisation,
        values={"representative_mobile": "13900005678"},
        version=1,
    )

    assert organisation.credit_code == code
    change = Change.objects.get(record_type="organisation", action="updated")
    assert change.changes["representative_mobile"] == ["138****1234", "139****5678"]
    entry = AuditEntry.objects.get(action="people.organisation_updated")
    assert "1380000" not in str(entry.details) and entry.region_code == GRID_A


def wrong_organisation_check(code: str) -> str:
    """The embedded organisation code off by its check character, the whole code's check
    character recomputed (so only the inner check can catch it)."""
    inner = "0" if code[16] != "0" else "1"
    first17 = code[:16] + inner
    return first17 + credit_code_check_character(first17)


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


@pytest.mark.parametrize(
    "mistype",
    [
        lambda code: code[:17],  # a character short
        wrong_check,
        lambda code: code[:3] + "O" + code[4:],  # O for 0
        wrong_organisation_check,
    ],
)
def test_a_mistyped_credit_code_is_refused(mistype):
    code = mistype(credit_code())

    with pytest.raises(ValidationError) as refused:
        organisations.organisation_register(
            actor=None, values=organisation_values(credit_code=code)
        )

    assert "credit_code" in refused.value.message_dict
    assert not Organisation.objects.filter(name="岑记商店").exists()


def test_a_credit_code_registered_already_is_refused_clearly():
    organisations.organisation_register(actor=None, values=organisation_values())
    other = organisations.organisation_register(
        actor=None, values=organisation_values(name="另一家", credit_code="")
    )

    with pytest.raises(ValidationError) as twice:
        organisations.organisation_register(actor=None, values=organisation_values(name="又一家"))
    with pytest.raises(ValidationError) as taken:
        organisations.organisation_update(
            actor=None, organisation=other, values={"credit_code": credit_code()}, version=1
        )

    assert "credit_code" in twice.value.message_dict
    assert "credit_code" in taken.value.message_dict
    assert not Organisation.objects.filter(name="又一家").exists()
    other.refresh_from_db()
    assert other.credit_code == ""


def test_an_organisation_update_over_a_stale_version_is_a_conflict():
    organisation = organisations.organisation_register(actor=None, values=organisation_values())
    organisations.organisation_update(
        actor=None, organisation=organisation, values={"employees": 5}, version=1
    )

    with pytest.raises(EditConflict):
        organisations.organisation_update(
            actor=None, organisation=organisation, values={"employees": 9}, version=1
        )
    organisation.refresh_from_db()
    assert organisation.employees == 5


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        places.household_register(
            actor=None, values={"address": "x", "region_code": GRID_A, "version": 9}
        )
    assert not Household.objects.filter(address="x").exists()
