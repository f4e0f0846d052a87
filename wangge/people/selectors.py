"""Reads of the register: search and the lists' filters.

Search text is read as: 18 (or 15) characters that parse as an identity number → that number
exactly; 11 digits starting with 1 → a mobile number exactly; letters → the start of the full
pinyin or of the initials (zhangwei, zw); anything else → the name or a former name containing
it, or the current address containing it. Results sort by pinyin, then id.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.core import ids
from wangge.people.models import Person
from wangge.people.names import query_keys

MOBILE = re.compile(r"^1\d{10}$")
LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class PersonFilter:
    text: str = ""
    region_code: str = ""
    category: str = ""
    status: str = ""
    age_from: int | None = None
    age_to: int | None = None


def search_condition(text: str) -> Q:
    text = text.strip()
    if not text:
        return Q()
    if len(text) in (15, 18) and ids.is_valid_identity_number(text):
        return Q(id_number=ids.parse_identity_number(text).number)
    if MOBILE.match(text):
        return Q(mobile=text)
    keys = query_keys(text)
    if LETTERS.match(keys):
        return Q(name_pinyin__startswith=keys) | Q(name_initials__startswith=keys)
    return (
        Q(name__contains=keys) | Q(former_names__contains=keys) | Q(current_address__contains=text)
    )


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
        people = people.filter(region_code__startswith=criteria.region_code)
    if criteria.category:
        people = people.filter(categories__kind=criteria.category, categories__ends_on__isnull=True)
    if criteria.status:
        people = people.filter(status=criteria.status)
    people = people.filter(born_between(criteria.age_from, criteria.age_to, timezone.localdate()))
    return people.order_by("name_pinyin", "id")
