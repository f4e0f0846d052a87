"""The demo's synthetic population, as the session fixture loaded it (small scale)."""

import json
from collections import defaultdict

import pytest
import shapely

from wangge.core import ids
from wangge.demo.population import (
    FACTORY_BIRTH_DATE,
    LOCAL_AREA,
    SMALL_PEOPLE,
    Writer,
    population_load,
)
from wangge.people import codes
from wangge.people.categories import details_checked
from wangge.people.models import (
    CategoryKind,
    House,
    Household,
    Organisation,
    Person,
    PersonCategory,
    PersonTag,
)
from wangge.people.names import name_keys
from wangge.regions.models import Level, Region


class DryWriter(Writer):
    """Keeps what would be written, writes nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str, str, float | None, float | None]] = []

    def write(self) -> None:
        for person, house, _ in self.people:
            self.rows.append(
                (person.id_number, person.name, person.region_code, house.lon, house.lat)
            )


def generated(seed: int = 620502) -> list[tuple[str, str, str, float | None, float | None]]:
    writer = DryWriter()
    population_load(scale="small", seed=seed, writer=writer)
    return writer.rows


def test_the_small_population_is_loaded_in_a_few_villages_including_the_demo_grid(db):
    people = Person.objects.count()
    assert 0.9 * SMALL_PEOPLE <= people <= 1.2 * SMALL_PEOPLE
    assert Person.objects.filter(region_code="620502001001001").exists()
    townships = set(Person.objects.values_list("region_code", flat=True))
    assert {code[:9] for code in townships} >= {"620502001", "620502109"}
    assert Household.objects.count() > people / 5
    assert House.objects.filter(rented=True).exists()
    assert Organisation.objects.filter(key_unit=True).exists()
    for kind in CategoryKind.values:
        assert PersonCategory.objects.filter(kind=kind).exists(), kind


def test_the_small_population_is_generated_the_same_every_time(db):
    first = generated()
    assert first == generated()
    assert first != generated(seed=1)
    stored = set(Person.objects.values_list("id_number", "name", "region_code"))
    assert {row[:3] for row in first} == stored


def test_identity_numbers_are_valid_unique_and_agree_with_sex_and_birth_date(db):
    rows = list(
        Person.objects.filter(id_type="111").values_list(
            "id_number", "sex", "birth_date", "native_place_code"
        )
    )
    assert len({row[0] for row in rows}) == len(rows)
    for number, sex, birth_date, area in rows:
        identity = ids.parse_identity_number(number)
        assert identity.birth_date == birth_date
        assert sex == ("1" if identity.sex == "M" else "2")
        assert area == number[:6]
        assert not (area == LOCAL_AREA and birth_date == FACTORY_BIRTH_DATE)
    areas = {row[3] for row in rows}
    assert LOCAL_AREA in areas and areas - {LOCAL_AREA}


def test_people_carry_the_search_keys_the_services_would_write(db):
    for name, pinyin, initials, version in Person.objects.values_list(
        "name", "name_pinyin", "name_initials", "version"
    ):
        assert (pinyin, initials) == name_keys(name)
        assert version == 1
    assert Person.objects.filter(name__contains="·").exists()
    mobiles = set(Person.objects.exclude(mobile="").values_list("mobile", flat=True))
    assert mobiles and all(mobile[3:7] == "0000" for mobile in mobiles)


def test_every_house_lies_inside_its_grid(db):
    grids = {
        code: shapely.from_geojson(json.dumps(boundary))
        for code, boundary in Region.objects.filter(level=Level.GRID).values_list(
            "code", "boundary"
        )
    }
    houses = list(House.objects.values_list("region_code", "lon", "lat"))
    assert houses
    for code, lon, lat in houses:
        assert shapely.contains_xy(grids[code], lon, lat), (code, lon, lat)


def test_every_person_lives_in_a_house_of_their_grid_and_households_share_it(db):
    grid_codes = set(Region.objects.filter(level=Level.GRID).values_list("code", flat=True))
    households = defaultdict(set)
    for region, house_region, household, household_region in Person.objects.values_list(
        "region_code", "house__region_code", "household_id", "household__region_code"
    ):
        assert region in grid_codes
        assert region == house_region
        if household is not None:
            assert household_region == region
            households[household].add(region)
    assert all(len(regions) == 1 for regions in households.values())


def test_every_household_has_one_head_and_members_with_standard_relations(db):
    heads = defaultdict(int)
    for household, relation in Person.objects.filter(household__isnull=False).values_list(
        "household_id", "relation_to_head"
    ):
        assert relation in codes.Relation.values
        heads[household] += relation == codes.Relation.HEAD
    assert set(heads.values()) == {1}
    assert not Person.objects.filter(household__isnull=True).exclude(relation_to_head="").exists()


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        (CategoryKind.REGISTERED, {"residence_match"}),
        (
            CategoryKind.FLOATING,
            {"inflow_reason", "permit_type", "dwelling_type", "registered_on", "permit_expires_on"},
        ),
        (CategoryKind.LEFT_BEHIND, {"left_behind_type", "family_member_away", "away_relation"}),
        (
            CategoryKind.FOREIGN,
            {"nationality", "document_type", "visit_purpose", "arrived_on", "leaves_on"},
        ),
    ],
)
def test_category_details_are_well_formed(db, kind, keys):
    categories = PersonCategory.objects.filter(kind=kind).select_related("person")
    assert categories.exists()
    for category in categories:
        assert details_checked(kind, category.details) == category.details
        assert keys <= set(category.details), category.details
        assert category.ends_on is None
        person = category.person
        if kind == CategoryKind.REGISTERED:
            assert person.household_id is not None and person.id_number[:6] == LOCAL_AREA
        if kind == CategoryKind.FLOATING:
            assert codes.InflowReason(category.details["inflow_reason"])
            assert codes.PermitType(category.details["permit_type"])
            assert person.id_number[:6] != LOCAL_AREA and person.house.rented
        if kind == CategoryKind.LEFT_BEHIND:
            assert codes.LeftBehindType(category.details["left_behind_type"])
            assert person.region_code[:12] in rural_villages()
        if kind == CategoryKind.FOREIGN and person.id_type == "111":
            assert person.id_number[:2] in {"81", "82", "83"}
        if kind == CategoryKind.FOREIGN and person.id_type == "414":
            assert category.details["document_number"] == person.id_number


def test_foreign_nationals_by_passport_owners_and_tags_are_there(db):
    passport_holders = Person.objects.filter(id_type="414")
    registered_heads = Person.objects.filter(household__isnull=False, relation_to_head="02")

    assert passport_holders.exists()
    assert not passport_holders.exclude(categories__kind=CategoryKind.FOREIGN).exists()
    assert registered_heads.exists()
    assert not registered_heads.filter(houses_owned__isnull=True).exists()
    assert set(PersonTag.objects.values_list("name", flat=True)) >= {"低保", "残疾人"}


def rural_villages() -> set[str]:
    return set(
        Region.objects.filter(level=Level.VILLAGE, urban_rural_code__in=["210", "220"]).values_list(
            "code", flat=True
        )
    )


def test_organisations_have_valid_unique_credit_codes_of_the_district(db):
    credit_codes = list(Organisation.objects.values_list("credit_code", flat=True))
    assert len(set(credit_codes)) == len(credit_codes) > 0
    for code in credit_codes:
        assert ids.parse_credit_code(code).area_code == LOCAL_AREA


def test_an_unknown_scale_is_refused(db):
    with pytest.raises(ValueError, match="scale"):
        population_load(scale="huge", writer=DryWriter())
