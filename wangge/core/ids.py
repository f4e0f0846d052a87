"""Citizen identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Grid workers type these numbers by hand from cards and licences, so the validators are
built to catch typing mistakes (the check characters detect every single-character
error) and to explain a rejection both to a person (the message) and to code (`reason`).
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Reason = Literal[
    "length",
    "characters",
    "province",
    "birth_date",
    "check_character",
    "area_code",
    "organisation_code",
]


class InvalidIdentifier(ValueError):
    """A malformed identifier; `reason` is a stable code for callers and form messages."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason


def _compact(value: str) -> str:
    """Drop all whitespace and upper-case, since numbers are often copied in groups."""
    return re.sub(r"\s+", "", value).upper()


# --- GB 11643-1999 citizen identity numbers -------------------------------------------

_IDENTITY_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_IDENTITY_CHECK = "10X98765432"
_EARLIEST_BIRTH = date(1850, 1, 1)

# Province-level prefixes of GB/T 2260, plus 81/82/83 which residence permits issued to
# Hong Kong, Macau and Taiwan residents use. County codes are deliberately not checked:
# a number never changes, so codes of abolished counties remain valid forever.
PROVINCE_PREFIXES: frozenset[str] = frozenset(
    f"{n:02d}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    )
)


@dataclass(frozen=True)
class IdentityNumber:
    """A validated 18-character identity number and what it says about its holder."""

    number: str
    area_code: str
    birth_date: date
    sex: Literal["M", "F"]


def identity_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidIdentifier("characters", "Expected exactly 17 digits to compute a check.")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _IDENTITY_WEIGHTS, strict=True)
    )
    return _IDENTITY_CHECK[total % 11]


def _check_identity_shape(number: str) -> None:
    if len(number) not in (15, 18):
        raise InvalidIdentifier(
            "length", f"An identity number has 18 characters (or 15 if legacy), not {len(number)}."
        )
    pattern = r"[0-9]{15}" if len(number) == 15 else r"[0-9]{17}[0-9X]"
    if not re.fullmatch(pattern, number):
        raise InvalidIdentifier(
            "characters", "An identity number has only digits, with X allowed as the last one."
        )
    if number[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdentifier(
            "province", f"{number[:2]!r} is not a province-level area code prefix."
        )


def _birth_date(digits: str, today: date) -> date:
    """Parse YYYYMMDD, rejecting impossible days and dates outside a plausible lifetime."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdentifier("birth_date", f"{digits} is not a calendar date.") from None
    if born > today:
        raise InvalidIdentifier("birth_date", f"Birth date {born} is in the future.")
    if born < _EARLIEST_BIRTH:
        raise InvalidIdentifier("birth_date", f"Birth date {born} is before 1850.")
    return born


def parse_identity_number(value: str, *, today: date | None = None) -> IdentityNumber:
    """Validate an identity number and return it in 18-character form with derived fields.

    Legacy 15-digit numbers (issued before 1999, birth years 1900-1999) are upgraded to
    18 characters, so callers store one canonical form.
    """
    number = _compact(value)
    _check_identity_shape(number)
    if len(number) == 15:
        number = number[:6] + "19" + number[6:]
        number += identity_check_character(number)
    born = _birth_date(number[6:14], today or date.today())
    expected = identity_check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdentifier(
            "check_character",
            f"The check character is {number[17]!r} but the digits require {expected!r}; "
            "a digit was probably mistyped.",
        )
    sex: Literal["M", "F"] = "M" if int(number[16]) % 2 else "F"
    return IdentityNumber(number=number, area_code=number[:6], birth_date=born, sex=sex)


def is_valid_identity_number(value: str, *, today: date | None = None) -> bool:
    """True when `parse_identity_number` would accept the value."""
    try:
        parse_identity_number(value, today=today)
    except InvalidIdentifier:
        return False
    return True


def convert_15_to_18(value: str) -> str:
    """Upgrade a valid legacy 15-digit number; refuse anything else so no error is masked."""
    number = _compact(value)
    if len(number) != 15:
        raise InvalidIdentifier("length", f"Expected a 15-digit number, not {len(number)} long.")
    return parse_identity_number(number).number


# --- GB 32100-2015 unified social credit codes ----------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, ...

# GB 11714-1997 organisation code check: weights 3,7,9,10,5,8,4,2, values 0-9 and A=10..Z=35.
# The brief for this module proposed 3,7,9,10,5,30,25,29; that set rejects the standard's
# own example 91350100M000100Y43 and 164 of the 176 published real codes in
# python-stdnum's tests/test_cn_uscc.doctest, whereas 3,7,9,10,5,8,4,2 accepts all of them
# (and is what GB 11714 and the implementations quoting it use).
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class CreditCode:
    """A validated unified social credit code split into its GB 32100 parts."""

    code: str
    registration_authority: str
    organisation_type: str
    area_code: str
    organisation_code: str


def credit_code_check_character(first17: str) -> str:
    """GB 32100 check character: 31 - (weighted sum mod 31), with 31 written as 0."""
    if len(first17) != 17 or any(char not in _CREDIT_VALUES for char in first17):
        raise InvalidIdentifier(
            "characters", "Expected 17 characters from the credit code alphabet."
        )
    total = sum(_CREDIT_VALUES[char] * w for char, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def organisation_code_check_character(first8: str) -> str:
    """GB 11714 check character of a 9-character organisation code body."""
    if len(first8) != 8 or not re.fullmatch(r"[0-9A-Z]{8}", first8):
        raise InvalidIdentifier("characters", "Expected 8 digits or capital letters.")
    total = sum(int(char, 36) * w for char, w in zip(first8, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _check_credit_shape(code: str) -> None:
    if len(code) != 18:
        raise InvalidIdentifier(
            "length", f"A unified social credit code has 18 characters, not {len(code)}."
        )
    bad = sorted({char for char in code if char not in _CREDIT_VALUES})
    if bad:
        raise InvalidIdentifier(
            "characters",
            f"{''.join(bad)!r} cannot appear in a credit code (digits and capitals except "
            "I, O, S, V, Z).",
        )
    if not code[2:8].isdigit():
        raise InvalidIdentifier("area_code", "Characters 3-8 (the area code) must be digits.")


def parse_credit_code(value: str) -> CreditCode:
    """Validate a unified social credit code, including its embedded organisation code.

    Known gap: some codes issued in Xiamen before 2016 (e.g. 91350203M0001QKT19, reported
    in hutool issue #4119) carry a check character that does not follow GB 32100 and are
    rejected here.
    """
    code = _compact(value)
    _check_credit_shape(code)
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise InvalidIdentifier(
            "check_character",
            f"The check character is {code[17]!r} but the code requires {expected!r}; "
            "a character was probably mistyped.",
        )
    organisation = code[8:17]
    if organisation[8] != organisation_code_check_character(organisation[:8]):
        raise InvalidIdentifier(
            "organisation_code",
            f"The embedded organisation code {organisation} fails its GB 11714 check.",
        )
    return CreditCode(
        code=code,
        registration_authority=code[0],
        organisation_type=code[1],
        area_code=code[2:8],
        organisation_code=organisation,
    )


def is_valid_credit_code(value: str) -> bool:
    """True when `parse_credit_code` would accept the value."""
    try:
        parse_credit_code(value)
    except InvalidIdentifier:
        return False
    return True
