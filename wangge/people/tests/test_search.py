"""Search of the register: identity number, mobile, pinyin, initials, characters, address;
names with characters outside the BMP and with middle dots."""

import pytest

from wangge.people.models import Person
from wangge.people.selectors import PersonFilter, persons_search
from wangge.people.tests.factories import person_registered


def found(text: str) -> list[str]:
    """Among the test's own people (the demo population may hold namesakes): those
    registered after the demo's last."""
    mine = Person.objects.filter(pk__gt=DEMO_LAST[0])
    return list(persons_search(mine, PersonFilter(text=text)).values_list("name", flat=True))


DEMO_LAST = [0]


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
    DEMO_LAST[0] = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {
        "ji": person_registered(name="𠮷岑珺"),
        "abdu": person_registered(name="阿卜杜·热合曼", mobile="13800007777"),
        "cen": person_registered(name="岑彧珺", current_address="测试巷99号"),
    }


def test_a_name_with_a_character_outside_the_bmp_is_found_by_that_character(register):
    assert found("𠮷") == ["𠮷岑珺"]
    assert found("𠮷岑") == ["𠮷岑珺"]


def test_a_name_with_a_middle_dot_is_found_with_or_without_it(register):
    assert found("阿卜杜·热合曼") == ["阿卜杜·热合曼"]
    assert found("阿卜杜热合曼") == ["阿卜杜·热合曼"]
    assert found("热合曼") == ["阿卜杜·热合曼"]


def test_full_pinyin_and_initials_find_by_their_start(register):
    assert found("cenyujun") == ["岑彧珺"]
    assert found("cenyu") == ["岑彧珺"]
    assert found("cyj") == ["岑彧珺"]
    assert found("CYJ") == ["岑彧珺"]
    assert found("abdrhm") == ["阿卜杜·热合曼"]


def test_an_identity_number_and_a_mobile_match_exactly(register):
    cen = register["cen"]

    assert found(cen.id_number) == ["岑彧珺"]
    assert found(cen.id_number.lower()) == ["岑彧珺"]
    assert found("13800007777") == ["阿卜杜·热合曼"]
    assert found("1380000777") == []


def test_an_address_fragment_finds_the_people_living_there(register):
    assert found("测试巷99") == ["岑彧珺"]


def test_text_that_matches_nothing_finds_nothing(register):
    assert found("岑彧珺不存在") == []
    assert found("zzzzqqq") == []


def test_surnames_and_minority_names_are_found_by_their_name_readings(register):
    person_registered(name="翟岑珺")
    person_registered(name="万俟岑")

    assert found("abudu") == ["阿卜杜·热合曼"]
    assert found("zhaicen") == ["翟岑珺"]
    assert found("dicen") == []
    assert found("moqicen") == ["万俟岑"]
    assert found("mqc") == ["万俟岑"]


def test_a_foreign_document_number_matches_exactly(register):
    import datetime

    from wangge.people import services

    services.person_register(
        actor=None,
        id_type="414",
        id_number="m12345678",
        region_code="620502001001001",
        values={"name": "金敏俊", "sex": "1", "birth_date": datetime.date(1990, 1, 2)},
    )

    assert found("M12345678") == ["金敏俊"]
    assert found("m12345678") == ["金敏俊"]
    assert found("M1234567") == []


def test_the_tag_filter_finds_the_people_with_that_tag(register):
    from wangge.people import services_categories

    services_categories.person_tags_set(
        actor=None, person=register["cen"], tags=["试点户", "低保"], version=None
    )
    mine = Person.objects.filter(pk__gt=DEMO_LAST[0])

    tagged = persons_search(mine, PersonFilter(tag="试点户"))
    with_text = persons_search(mine, PersonFilter(text="岑", tag="低保"))

    assert [person.name for person in tagged] == ["岑彧珺"]
    assert [person.name for person in with_text] == ["岑彧珺"]
    assert not persons_search(mine, PersonFilter(tag="试点")).exists()


def test_a_search_by_characters_sorts_by_pinyin_without_walking_the_index(register):
    from django.db import connection

    person_registered(name="岑阿珺")
    person_registered(name="岑珺")
    query = persons_search(Person.objects.filter(pk__gt=DEMO_LAST[0]), PersonFilter(text="珺"))

    names = [person.name for person in query]
    keys = [(person.name_pinyin, person.pk) for person in query]
    assert sorted(names) == sorted(["𠮷岑珺", "岑阿珺", "岑彧珺", "岑珺"])
    assert keys == sorted(keys)
    orders = {
        "sqlite": 'ORDER BY +"people_person"."name_pinyin"',
        "postgresql": """ORDER BY ("people_person"."name_pinyin" || '')""",
    }
    assert orders[connection.vendor] in str(query.query)
