"""The demo's people: households, floating residents, names, identity numbers."""

import datetime
import random
from dataclasses import dataclass, field
from functools import lru_cache

from wangge.core.ids import identity_check_character
from wangge.demo.population.grids import LOCAL_AREA, GridPlan
from wangge.demo.services import GIVEN, SURNAMES
from wangge.people import codes
from wangge.people.models import CategoryKind, House, Household, Person
from wangge.people.names import name_keys

TODAY = datetime.date(2026, 1, 1)
# Where floating residents come from: the rest of Tianshui, Lanzhou, Linxia.
OTHER_AREAS = (
    *("620503", "620521", "620522", "620523", "620524", "620525"),
    *("620102", "620103", "620104", "620105", "620121", "622921", "622926"),
)
OUTSIDE_MAINLAND = {"810000": "HKG", "820000": "MAC", "830000": "TWN"}
HUI_SURNAMES = "马马马丁穆哈沙米海纳"
DOTTED_NAMES = (
    "阿卜杜·热合曼",
    "阿依古丽·买买提",
    "艾力·吐尔逊",
    "尔萨·马",
    "法图麦·马",
)
RARE_GIVEN = ("𠮷", "𪚥", "𬘭", "𬀩")
OCCUPATIONS = (
    "农民",
    "个体经营",
    "教师",
    "工人",
    "司机",
    "医生",
    "职员",
    "学生",
    "退休",
    "",
)


@dataclass
class Member:
    name: str
    sex: str
    born: datetime.date
    relation: str
    ethnicity: str = "01"
    categories: dict[str, dict[str, object]] = field(default_factory=dict)
    passport: str = ""  # a foreign national's, who has no resident identity number


class IdentityIssuer:
    """Unique identity numbers with a valid check character; the serial's parity is the sex."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.issued: set[str] = set()

    def issue(self, area: str, born: datetime.date, sex: str) -> str:
        serial = self.rng.randrange(500) * 2 + (1 if sex == "1" else 0)
        while True:
            first17 = f"{area}{born:%Y%m%d}{serial:03d}"
            if first17 not in self.issued:
                self.issued.add(first17)
                return first17 + identity_check_character(first17)
            serial = (serial + 2) % 1000


def age_years(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, max(low, high))


# The people tests' factory issues numbers of the district born on this day; the demo keeps
# clear of it so that a test's person never collides with a demo resident.
FACTORY_BIRTH_DATE = datetime.date(1980, 5, 17)


def born_at_age(age: int, rng: random.Random) -> datetime.date:
    born = TODAY - datetime.timedelta(days=age * 365 + rng.randrange(365))
    return born + datetime.timedelta(days=1) if born == FACTORY_BIRTH_DATE else born


def household_members(kind: str, rng: random.Random) -> list[Member]:
    """A registered household: head, spouse, children, sometimes the head's parents; in
    mountain villages, bigger and older, with left-behind members when the working adults are
    away."""
    head_age = rng.choices(
        (age_years(rng, 22, 40), age_years(rng, 41, 60), age_years(rng, 61, 88)),
        (4, 4, 2) if kind == "urban" else (3, 4, 3),
    )[0]
    hui = rng.random() < 0.04
    surname = rng.choice(HUI_SURNAMES) if hui else weighted_surname(rng)
    ethnicity = "03" if hui else ("26" if rng.random() < 0.003 else "01")
    head_sex = rng.choices("12", (4, 1))[0]
    head = Member(full_name(surname, rng), head_sex, born_at_age(head_age, rng), "02", ethnicity)
    members = [head]
    if rng.random() < 0.82:
        spouse_sex = "2" if head_sex == "1" else "1"
        spouse_age = max(20, head_age + rng.randint(-6, 3))
        spouse_name = full_name(rng.choice(HUI_SURNAMES) if hui else weighted_surname(rng), rng)
        members.append(
            Member(spouse_name, spouse_sex, born_at_age(spouse_age, rng), "10", ethnicity)
        )
    children = rng.choices((0, 1, 2, 3), (2, 4, 3, 1) if kind == "rural" else (3, 5, 2, 0))[0]
    for _ in range(children if head_age < 70 else 0):
        age = head_age - rng.randint(22, 34)
        if age < 0:
            continue
        sex = rng.choice("12")
        relation = "20" if sex == "1" else "30"
        members.append(
            Member(full_name(surname, rng), sex, born_at_age(age, rng), relation, ethnicity)
        )
    if head_age < 50 and rng.random() < (0.35 if kind == "rural" else 0.12):
        for sex in "12":
            age = head_age + rng.randint(22, 32)
            if age <= 95:
                members.append(
                    Member(
                        full_name(surname if sex == "1" else weighted_surname(rng), rng),
                        sex,
                        born_at_age(age, rng),
                        "50",
                        ethnicity,
                    )
                )
    categories_for_household(members, kind, rng)
    return members


def categories_for_household(members: list[Member], kind: str, rng: random.Random) -> None:
    for member in members:
        match = "01" if rng.random() < 0.9 else "02"
        member.categories[CategoryKind.REGISTERED] = {"residence_match": match}
    working = [m for m in members if 18 <= years_old(m.born) < 60]
    if kind != "rural" or not working or rng.random() > 0.25:
        return
    away = working[0]
    for member in members:
        age = years_old(member.born)
        if member is away:
            continue
        if age >= 60:
            kind_code = codes.LeftBehindType.ELDERLY
        elif age < 16:
            kind_code = codes.LeftBehindType.CHILD
        elif member.sex == "2" and member.relation in {"02", "10"}:
            kind_code = codes.LeftBehindType.WOMAN
        else:
            continue
        member.categories[CategoryKind.LEFT_BEHIND] = {
            "left_behind_type": str(kind_code),
            "family_member_away": away.name,
            "away_relation": away.relation,
            "_starts_on": TODAY - datetime.timedelta(days=rng.randint(60, 2000)),
        }


def floating_group(kind: str, rng: random.Random) -> list[Member]:
    """People living in a rented house: workers alone or together, or a young family."""
    size = rng.choices((1, 2, 3, 4), (4, 3, 2, 1))[0]
    arrived = TODAY - datetime.timedelta(days=rng.randint(10, 2500))
    outside = kind == "urban" and rng.random() < 0.03
    members = []
    for index in range(size):
        sex = rng.choice("12")
        age = rng.randint(18, 55) if index < 2 else rng.randint(0, 14)
        member = Member(full_name(weighted_surname(rng), rng), sex, born_at_age(age, rng), "")
        member.categories[CategoryKind.FLOATING] = {
            "inflow_reason": rng.choices(("01", "03", "04", "05", "08"), (6, 2, 1, 1, 1))[0],
            "permit_type": rng.choices(("01", "02", "99"), (7, 1, 2))[0],
            "dwelling_type": "02",
            "registered_on": arrived.isoformat(),
            "permit_expires_on": (arrived + datetime.timedelta(days=3 * 365)).isoformat(),
            "_starts_on": arrived,
        }
        members.append(member)
    if outside:
        for member in members:
            member.categories = {CategoryKind.FOREIGN: foreign_details(arrived, rng)}
    elif kind == "urban" and rng.random() < 0.01:
        return [foreign_national(arrived, rng)]
    return members


def foreign_details(arrived: datetime.date, rng: random.Random) -> dict[str, object]:
    """A Hong Kong, Macao or Taiwan resident living here: registered by the GB 11643-format
    number of their residence permit, with their travel permit as the document."""
    area = rng.choice(sorted(OUTSIDE_MAINLAND))
    return {
        "nationality": OUTSIDE_MAINLAND[area],
        "document_type": "511" if area == "830000" else "516",
        "visit_purpose": rng.choice(("01", "02", "05")),
        "arrived_on": arrived.isoformat(),
        "leaves_on": (arrived + datetime.timedelta(days=5 * 365)).isoformat(),
        "_area": area,
        "_starts_on": arrived,
    }


# Foreign nationals, registered by passport (document 414): (nationality, passport letter,
# names as written in Chinese, surname and given name in their script).
FOREIGN_NATIONALS = (
    ("KOR", "M", "金敏俊", "KIM", "MINJUN"),
    ("KOR", "M", "朴智妍", "PARK", "JIYEON"),
    ("PAK", "A", "阿里·汗", "KHAN", "ALI"),
    ("RUS", "7", "伊万·彼得罗夫", "PETROV", "IVAN"),
    ("KAZ", "N", "努尔兰·阿布德拉赫曼诺夫", "ABDRAKHMANOV", "NURLAN"),
)


def foreign_national(arrived: datetime.date, rng: random.Random) -> "Member":
    nationality, letter, name, surname, given = rng.choice(FOREIGN_NATIONALS)
    sex = "2" if name == "朴智妍" else "1"
    member = Member(name, sex, born_at_age(rng.randint(22, 50), rng), "", "")
    member.passport = f"{letter}{rng.randrange(10**7, 10**8)}"
    member.categories[CategoryKind.FOREIGN] = {
        "nationality": nationality,
        "foreign_surname": surname,
        "foreign_given_name": given,
        "document_type": "414",
        "document_number": member.passport,
        "document_valid_until": (arrived + datetime.timedelta(days=6 * 365)).isoformat(),
        "visit_purpose": rng.choice(("01", "02", "03")),
        "arrived_on": arrived.isoformat(),
        "leaves_on": (arrived + datetime.timedelta(days=2 * 365)).isoformat(),
        "_starts_on": arrived,
    }
    return member


def years_old(born: datetime.date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


SURNAME_WEIGHTS = [max(1, 40 - index) for index in range(len(SURNAMES))]


def weighted_surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]


def full_name(surname: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.0008:
        return rng.choice(DOTTED_NAMES)
    if draw < 0.0018:
        return surname + rng.choice(RARE_GIVEN)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def person_name(rng: random.Random) -> str:
    return full_name(weighted_surname(rng), rng)


@lru_cache(maxsize=200_000)
def cached_name_keys(name: str) -> tuple[str, str]:
    return name_keys(name)


def person_row(
    plan: GridPlan,
    member: Member,
    house: House,
    household: Household | None,
    floating: bool,
    identities: IdentityIssuer,
    rng: random.Random,
) -> Person:
    foreign = member.categories.get(CategoryKind.FOREIGN)
    if member.passport:
        area = ""
        while member.passport in identities.issued:
            member.passport = member.passport[0] + str(int(member.passport[1:]) % 99999999 + 1)
        identities.issued.add(member.passport)
        assert foreign is not None
        foreign["document_number"] = member.passport
    elif foreign:
        area = str(foreign.pop("_area"))
    elif floating:
        area = rng.choice(OTHER_AREAS)
    else:
        area = LOCAL_AREA
    age = years_old(member.born)
    pinyin, initials = cached_name_keys(member.name)
    minority = "·" in member.name and member.name[0] == "阿" and not member.passport
    ethnicity = "05" if minority else member.ethnicity
    person = Person(
        id_type="414" if member.passport else "111",
        id_number=member.passport or identities.issue(area, member.born, member.sex),
        name=member.name,
        name_pinyin=pinyin,
        name_initials=initials,
        sex=member.sex,
        birth_date=member.born,
        ethnicity=ethnicity,
        native_place_code=area,
        marital_status=marital_status(member, age),
        political_status=political_status(age, rng),
        education=education(age, rng),
        religion="伊斯兰教" if ethnicity in {"03", "05", "26"} else "",
        occupation=rng.choice(OCCUPATIONS) if age >= 18 else ("学生" if age >= 6 else ""),
        mobile=synthetic_mobile(rng) if age >= 16 and rng.random() < 0.92 else "",
        registered_region_code=area,
        registered_address=house.address if not floating else "",
        current_address=house.address,
        region_code=plan.code,
        relation_to_head=member.relation,
        version=1,
    )
    return person


def marital_status(member: Member, age: int) -> str:
    if member.relation in {"02", "10", "50"} and age >= 20:
        return "30" if member.relation != "10" and age >= 75 else "20"
    return "10" if age >= 16 else ""


def political_status(age: int, rng: random.Random) -> str:
    if age < 14:
        return ""
    if age < 28 and rng.random() < 0.3:
        return "03"
    return "01" if rng.random() < 0.06 else "13"


def education(age: int, rng: random.Random) -> str:
    if age < 7:
        return ""
    if age < 13:
        return "80"
    if age < 16:
        return "70"
    return rng.choices(
        ("20", "30", "60", "70", "80"), (1, 1, 2, 4, 2) if age > 50 else (3, 3, 3, 3, 1)
    )[0]


MOBILE_PREFIXES = ("1700000", "1710000", "1990000")


def synthetic_mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000):04d}"
