""" "Who read my data": a resident with a proved mobile gives their identity number; when a
registered person has that number AND that mobile, they see which units read their record
unmasked, when and for what purpose (from the audit log). Otherwise one neutral answer, so the
page tells nobody whether a number is registered."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from wangge.accounts.models import Membership
from wangge.audit.services import record
from wangge.people.models import Person
from wangge.portal import throttle
from wangge.privacy.selectors import purpose_label, reads_of

ID_NUMBER_RE = re.compile(r"^(\d{17}[0-9X]|\d{15})$")
LOOKUPS_PER_DAY = 10


def normalised(value: str) -> str | None:
    """The identity number upper-cased without spaces, or None when it cannot be one."""
    value = re.sub(r"\s", "", value or "").upper()
    return value if ID_NUMBER_RE.match(value) else None


@dataclass(frozen=True)
class UnitRead:
    at: datetime.datetime
    units: list[str]
    purpose: str
    purpose_text: str


def units_of(user_id: int | None, on: datetime.date) -> list[str]:
    if user_id is None:
        return []
    memberships = (
        Membership.objects.filter(user_id=user_id, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("department", "region")
    )
    names = []
    for membership in memberships:
        if membership.department is not None:
            names.append(membership.department.name)
        elif membership.region is not None:
            names.append(membership.region.name)
    return sorted(set(names))


def reads_for(
    id_number: str, phone: str, request: HttpRequest | None = None
) -> list[UnitRead] | None:
    """The unmasked reads of the person with that identity number and mobile, or None when no
    person matches both. Throttled per mobile (raises `throttle.Throttled`)."""
    throttle.hit(f"mydata:{phone}", LOOKUPS_PER_DAY, datetime.timedelta(days=1))
    person = Person.objects.filter(id_number=id_number, mobile=phone).first()
    if person is None:
        return None
    entries: list[Any] = list(reads_of("person", person.pk))
    reads = [
        UnitRead(
            at=entry.at,
            units=units_of(entry.actor_id, entry.at.date()),
            purpose=purpose_label(str(entry.details.get("purpose", ""))),
            purpose_text=entry.purpose,
        )
        for entry in entries
    ]
    with transaction.atomic():
        record(
            actor=None,
            action="portal.my_data",
            target=person,
            details={"reads": len(reads)},
            request=request,
        )
    return reads
