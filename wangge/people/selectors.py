"""Reads of the register: search and the lists' filters.

Search text is read as: 18 (or 15) characters that parse as an identity number → that number
exactly; 11 digits starting with 1 → a mobile number exactly; digits, perhaps with letters → a
foreign document's number exactly, or an address containing them; letters → the start of the full
pinyin or of the initials (zhangwei, zw); anything else → the name or a former name containing
it, or the current address containing it. Results sort by pinyin, then id.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.utils import timezone

from wangge.core import ids
from wangge.core.scope import prefix_q
from wangge.people.models import Person, PersonCategory, PersonTag
from wangge.people.names import query_keys
from wangge.regions.models import Region

MOBILE = re.compile(r"^1\d{10}$")
LETTERS = re.compile(r"^[a-z]+$")
# A foreign document's number: digits, perhaps with letters (E12345678, 712345678).
DOCUMENT = re.compile(r"^(?=.*\d)[A-Z0-9-]{5,32}$")


@dataclass(frozen=True)
class PersonFilter:
    text: str = ""
    region_code: str = ""
    category: str = ""
    status: str = ""
    age_from: int | None = None
    age_to: int | None = None
    tag: str = ""


def search_condition(text: str) -> Q:
    text = text.strip()
    if not text:
        return Q()
    if len(text) in (15, 18) and ids.is_valid_identity_number(text):
        return Q(id_number=ids.parse_identity_number(text).number)
    if MOBILE.match(text):
        return Q(mobile=text)
    if DOCUMENT.match(text.upper()):
        return Q(id_number=text.upper()) | Q(current_address__contains=text)
    keys = query_keys(text)
    if LETTERS.match(keys):
        return prefix_q("name_pinyin", keys) | prefix_q("name_initials", keys)
    dotted = Q(name__contains="·") & Q(Contains(name_without_dots(), keys))
    return (
        Q(name__contains=keys)
        | dotted
        | Q(former_names__contains=keys)
        | Q(current_address__contains=text)
    )


class Unindexed(Func):
    """A column in ORDER BY that the engine must not walk an index for: `+column` on SQLite,
    `column || ''` on PostgreSQL (same values, same order). When a search text matches few
    rows (found by a scan, or by the initials' index), walking the pinyin index to skip the
    sort reads row after row in index order, several times slower than finding the matches
    and sorting them (docs/performance.md); the list without a text keeps the index order."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="(%(expressions)s || '')", **extra)


def name_without_dots() -> Func:
    """The name as `names.name_clean` leaves it, for the dots people commonly type or leave out
    in minority names (阿卜杜·热合曼 found by 阿卜杜热合曼)."""
    name: Func | F = F("name")
    for dot in ("·", "•"):
        name = Replace(name, Value(dot), Value(""))
    assert isinstance(name, Func)
    return name


def born_between(age_from: int | None, age_to: int | None, today: datetime.date) -> Q:
    """Age in whole years on `today`, inclusive at both ends."""
    condition = Q()
    if age_from is not None:
        condition &= Q(birth_date__lte=years_before(today, age_from))
    if age_to is not None:
        condition &= Q(birth_date__gt=years_before(today, age_to + 1))
    return condition


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def persons_search(people: QuerySet[Person], criteria: PersonFilter) -> QuerySet[Person]:
    people = people.filter(search_condition(criteria.text))
    if criteria.region_code:
        people = people.filter(prefix_q("region_code", criteria.region_code))
    if criteria.category:
        people = people.filter(categories__kind=criteria.category, categories__ends_on__isnull=True)
    if criteria.status:
        people = people.filter(status=criteria.status)
    people = people.filter(born_between(criteria.age_from, criteria.age_to, timezone.localdate()))
    if criteria.tag:
        people = people.filter(tags__name=criteria.tag.strip())
    if criteria.text.strip():  # few matches, found by another index or a scan: sort them
        return people.order_by(Unindexed(F("name_pinyin")), "id")
    return people.order_by("name_pinyin", "id")


def person_tags(person: Person) -> list[str]:
    return list(person.tags.order_by("id").values_list("name", flat=True))


def tags_in_use(people: QuerySet[Person], limit: int = 30) -> list[str]:
    """The tags most used among these people, most used first: suggestions for the tag form."""
    rows = (
        PersonTag.objects.filter(person__in=people)
        .values("name")
        .annotate(count=Count("id"))
        .order_by("-count", "name")[:limit]
    )
    return [row["name"] for row in rows]


def person_categories_current(person: Person) -> QuerySet[PersonCategory]:
    return person.categories.filter(ends_on__isnull=True).order_by("kind")


def persons_count_by_category(people: QuerySet[Person], region_code: str) -> dict[str, int]:
    """Active people under a region, per current category, in one query."""
    rows = (
        PersonCategory.objects.filter(
            person__in=people.filter(prefix_q("region_code", region_code), status="active"),
            ends_on__isnull=True,
        )
        .values("kind")
        .annotate(count=Count("id"))
    )
    return {row["kind"]: row["count"] for row in rows}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def with_categories(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with their current categories and tags prefetched (two more queries a page)."""
    current = PersonCategory.objects.filter(ends_on__isnull=True).order_by("kind")
    tags = PersonTag.objects.order_by("id")
    return people.prefetch_related(
        Prefetch("categories", queryset=current), Prefetch("tags", queryset=tags)
    )


def grid_names(codes: set[str]) -> dict[str, str]:
    """Names of the grids with these codes, in one query."""
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def person_by_id_number(people: QuerySet[Person], text: str) -> Person | None:
    """The person among `people` with this identity number (15-digit numbers converted), or
    None for a malformed number or nobody."""
    try:
        number = ids.parse_identity_number(text).number
    except ids.InvalidIdentifier:
        return None
    return people.filter(id_number=number).first()
