"""Identity numbers and credit codes: published examples, generated properties, bad input."""

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.core.ids import (
    CREDIT_CODE_ALPHABET,
    PROVINCE_PREFIXES,
    InvalidIdentifier,
    convert_15_to_18,
    credit_code_check_character,
    identity_check_character,
    is_valid_credit_code,
    is_valid_identity_number,
    organisation_code_check_character,
    parse_credit_code,
    parse_identity_number,
)

TODAY = date.today()
DIGITS = "0123456789"


def corruptions(value: str, alphabet: str) -> Iterator[str]:
    """Every string that differs from `value` in exactly one position, within `alphabet`."""
    for position, original in enumerate(value):
        for replacement in alphabet:
            if replacement != original:
                yield value[:position] + replacement + value[position + 1 :]


@st.composite
def identity_numbers(draw: st.DrawFn) -> tuple[str, date, str]:
    """A valid 18-character number with the birth date and sequence it was built from."""
    province = draw(st.sampled_from(sorted(PROVINCE_PREFIXES)))
    area = draw(st.text(DIGITS, min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = f"{province}{area}{born:%Y%m%d}{sequence}"
    return first17 + identity_check_character(first17), born, sequence


@st.composite
def legacy_identity_numbers(draw: st.DrawFn) -> tuple[str, date]:
    """A valid 15-digit pre-1999 number (two-digit year, implicitly 19xx, no check)."""
    province = draw(st.sampled_from(sorted(PROVINCE_PREFIXES)))
    area = draw(st.text(DIGITS, min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    return f"{province}{area}{born:%y%m%d}{sequence}", born


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """A valid credit code, built bottom-up: organisation code check, then GB 32100 check."""
    head = draw(st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2))
    area = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(CREDIT_CODE_ALPHABET, min_size=8, max_size=8))
    first17 = head + area + body + organisation_code_check_character(body)
    return first17 + credit_code_check_character(first17)


def reason_for(parse: Callable[[str], object], value: str) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        parse(value)
    return caught.value.reason


# --- Identity numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        # The two worked examples printed in GB 11643-1999 itself.
        ("11010519491231002X", date(1949, 12, 31), "F"),
        ("440524188001010014", date(1880, 1, 1), "M"),
        # From python-stdnum tests/test_cn_ric.doctest (the second written with a lowercase x).
        ("360426199101010071", date(1991, 1, 1), "M"),
        ("44011320141005001x", date(2014, 10, 5), "M"),
    ],
)
def test_published_identity_numbers_are_accepted(number: str, born: date, sex: str) -> None:
    parsed = parse_identity_number(number)
    assert parsed.number == number.upper()
    assert parsed.area_code == number[:6]
    assert parsed.birth_date == born
    assert parsed.sex == sex


def test_check_character_matches_the_standard_examples() -> None:
    assert identity_check_character("11010519491231002") == "X"
    assert identity_check_character("44052418800101001") == "4"


def test_spaces_and_a_lowercase_x_are_tolerated() -> None:
    assert parse_identity_number(" 110105 19491231 002x ").number == "11010519491231002X"


@settings(max_examples=100)
@given(identity_numbers())
def test_generated_numbers_parse_with_their_birth_date_and_sex(
    generated: tuple[str, date, str],
) -> None:
    number, born, sequence = generated
    parsed = parse_identity_number(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex == ("M" if int(sequence[-1]) % 2 else "F")
    assert is_valid_identity_number(number, today=TODAY)


@settings(max_examples=40)
@given(identity_numbers())
def test_every_single_character_corruption_is_rejected(generated: tuple[str, date, str]) -> None:
    number = generated[0]
    for corrupted in corruptions(number, DIGITS + "X"):
        with pytest.raises(InvalidIdentifier):
            parse_identity_number(corrupted, today=TODAY)


@settings(max_examples=100)
@given(legacy_identity_numbers())
def test_legacy_15_digit_numbers_upgrade_to_the_same_person(generated: tuple[str, date]) -> None:
    legacy, born = generated
    upgraded = convert_15_to_18(legacy)
    assert len(upgraded) == 18
    assert upgraded[:6] + upgraded[8:17] == legacy
    assert upgraded[6:8] == "19"
    parsed = parse_identity_number(upgraded)
    assert parsed.birth_date == born
    assert parsed.sex == ("M" if int(legacy[-1]) % 2 else "F")
    assert parse_identity_number(legacy) == parsed


def test_legacy_form_of_the_standard_example_upgrades_to_it() -> None:
    assert convert_15_to_18("110105491231002") == "11010519491231002X"


def test_converting_anything_but_a_15_digit_number_is_refused() -> None:
    assert reason_for(convert_15_to_18, "11010519491231002X") == "length"
    assert reason_for(convert_15_to_18, "110105491331002") == "birth_date"


def with_check(first17: str) -> str:
    return first17 + identity_check_character(first17)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "length"),
        ("1101051949123100", "length"),
        ("11010519491231002X0", "length"),
        ("11010519491231002A", "characters"),
        ("1101051949123100X2", "characters"),
        ("T60426199101010078", "characters"),  # python-stdnum test_cn_ric.doctest
        ("990426199112010074", "province"),  # python-stdnum: correct check, unknown place
        (with_check("16010519491231002"), "province"),
        ("360426199113010079", "birth_date"),  # python-stdnum: month 13
        (with_check("11010519000229002"), "birth_date"),  # 1900 was not a leap year
        (with_check("11010518491231002"), "birth_date"),  # before 1850
        ("110105491331002", "birth_date"),  # legacy number, month 13
        ("36042619910102009X", "check_character"),  # python-stdnum: wrong check
        ("11010519491231002Y", "characters"),
    ],
)
def test_bad_identity_numbers_are_rejected_with_a_reason(value: str, reason: str) -> None:
    assert reason_for(parse_identity_number, value) == reason
    assert not is_valid_identity_number(value)


def test_a_birth_date_after_today_is_rejected() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_identity_number("44011320141005001X", today=date(2014, 10, 4))
    assert caught.value.reason == "birth_date"
    assert parse_identity_number("44011320141005001X", today=date(2014, 10, 5))


@pytest.mark.parametrize("prefix", ["71", "81", "82", "83"])
def test_taiwan_and_residence_permit_prefixes_are_accepted(prefix: str) -> None:
    assert is_valid_identity_number(with_check(f"{prefix}000019800101001"))


def test_abolished_county_codes_stay_valid() -> None:
    # python-stdnum's test_cn_ric.doctest: 120110 was Tianjin's Dongjiao district before
    # 1991 (Dongli after); a number issued under the old name never changes.
    assert is_valid_identity_number("120110198012010073")


def test_rejections_carry_a_readable_message() -> None:
    with pytest.raises(ValueError, match="18 characters"):
        parse_identity_number("12345")


# --- Credit codes ---------------------------------------------------------------------

# 91350100M000100Y43 is the worked example of GB 32100-2015's check algorithm (reproduced
# on e.g. yc00.com/web/1713075042a2177900.html); 12440600MB2C07549J is from
# xbeginagain/generator issue #2; the rest are real codes from python-stdnum's
# tests/test_cn_uscc.doctest ("found online"), which all 176 of pass this validator.
PUBLISHED_CREDIT_CODES = [
    "91350100M000100Y43",
    "12440600MB2C07549J",
    "121200004013590816",
    "91110000600037341L",
    "9144030071526726XG",
    "91310115MA1K3BTP2B",
    "913101153325803473",
    "91340600MA2PBP2120",
    "91620105L015101280",
    "9162010569564942X9",
    "91620105MA73NBBLXE",
    "92340602MA2PEL8AXA",
    "92340621MA2PBKRXXG",
    "92340621MA2UK3PJXE",
]


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_published_credit_codes_are_accepted(code: str) -> None:
    parsed = parse_credit_code(code)
    assert parsed.code == code
    assert is_valid_credit_code(code)


def test_credit_code_is_split_into_its_parts() -> None:
    parsed = parse_credit_code("91350100m000100y43")
    assert parsed.code == "91350100M000100Y43"
    assert parsed.registration_authority == "9"
    assert parsed.organisation_type == "1"
    assert parsed.area_code == "350100"
    assert parsed.organisation_code == "M000100Y4"


def test_check_characters_match_the_worked_examples() -> None:
    # GB 32100: weighted sum 1640, 1640 mod 31 = 28, 31 - 28 = 3.
    assert credit_code_check_character("91350100M000100Y4") == "3"
    # GB 11714 on M000100Y: 22*3 + 1*5 + 34*2 = 139, 11 - 139 mod 11 = 4.
    assert organisation_code_check_character("M000100Y") == "4"


@settings(max_examples=100)
@given(credit_codes())
def test_generated_credit_codes_parse_into_their_parts(code: str) -> None:
    parsed = parse_credit_code(code)
    assert parsed.code == code
    assert parsed.registration_authority + parsed.organisation_type == code[:2]
    assert parsed.area_code == code[2:8]
    assert parsed.organisation_code == code[8:17]


@settings(max_examples=30)
@given(credit_codes())
def test_every_single_character_corruption_of_a_credit_code_is_rejected(code: str) -> None:
    for corrupted in corruptions(code, CREDIT_CODE_ALPHABET):
        with pytest.raises(InvalidIdentifier):
            parse_credit_code(corrupted)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345", "length"),  # python-stdnum test_cn_uscc.doctest
        ("91350100M000100Y4", "length"),
        ("9111000060003IOZSV", "characters"),  # python-stdnum: letters outside the alphabet
        ("91350100M000100Y4Z", "characters"),  # GB 32100's example of a bad code
        ("91A10000600037341L", "area_code"),
        ("91110000600037341N", "check_character"),  # python-stdnum: wrong check
        # Real code reported in hutool issue #4119: issued in Xiamen before 2016 with a
        # check character that does not follow GB 32100; documented as rejected.
        ("91350203M0001QKT19", "check_character"),
        # Organisation code check changed 4 -> 5, outer check recomputed to stay consistent.
        ("91350100M000100Y56", "organisation_code"),
    ],
)
def test_bad_credit_codes_are_rejected_with_a_reason(value: str, reason: str) -> None:
    assert reason_for(parse_credit_code, value) == reason
    assert not is_valid_credit_code(value)


def test_organisation_code_example_passes_the_outer_check() -> None:
    # Guards the row above: only the embedded GB 11714 check can be what rejects it.
    assert credit_code_check_character("91350100M000100Y5") == "6"
