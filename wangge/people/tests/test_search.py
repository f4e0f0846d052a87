"""Search of the register: identity number, mobile, pinyin, initials, characters, address;
names with characters outside the BMP and with middle dots."""

import pytest

from wangge.people.models import Person
from wangge.people.selectors import PersonFilter, persons_search
from wangge.people.tests.factories import person_registered


def found(text: str) -> list[str]:
    """Among the test's own people (the demo population may hold namesakes)."""
    mine = Person.objects.filter(name__in=["𠮷岑珺", "阿卜杜·热合曼", "岑彧珺"])
    return list(persons_search(mine, PersonFilter(text=text)).values_list("name", flat=True))


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
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
