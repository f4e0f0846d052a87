"""Reads: whether a full view is live, a field as the user may see it, and who read a record."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from wangge.audit.models import AuditEntry
from wangge.privacy import targets
from wangge.privacy.access import UNMASK
from wangge.privacy.models import UNMASK_ACTION, Purpose, UnmaskGrant

GrantKey = tuple[str, str]  # target_type, target_id


def live_grants(user: Any, *, now: datetime.datetime | None = None) -> dict[GrantKey, UnmaskGrant]:
    """The user's grants live at `now`, the longest-lasting per record: one query, kept on the
    user object for the request (a page may show many sensitive fields)."""
    moment = now or timezone.now()
    cached = getattr(user, "_wangge_live_grants", None)
    if cached is not None and cached[0] <= moment:
        return {key: grant for key, grant in cached[1].items() if grant.expires_at > moment}
    grants: dict[GrantKey, UnmaskGrant] = {}
    if getattr(user, "is_authenticated", False):
        live = UnmaskGrant.objects.filter(user=user, expires_at__gt=moment).order_by("expires_at")
        grants = {(grant.target_type, grant.target_id): grant for grant in live}
        user._wangge_live_grants = (moment, grants)
    return grants


def unmask_active(
    user: Any, kind: str, target_id: object, *, now: datetime.datetime | None = None
) -> UnmaskGrant | None:
    """The user's live grant on the record, if any; an expired grant does not count."""
    key = (targets.kind_named(kind).target_type, str(target_id))
    return live_grants(user, now=now).get(key)


@dataclass(frozen=True)
class SensitiveValue:
    shown: str  # masked, or in full while a grant is live
    full: bool
    until: datetime.datetime | None  # when the full view ends
    may_unmask: bool  # masked, not empty, and the user may ask to see it in full


def sensitive_value(
    user: Any, record: Model, field: str, *, now: datetime.datetime | None = None
) -> SensitiveValue:
    kind = targets.kind_of(record)
    if field not in kind.fields:
        raise ValueError(f"{field} is not a sensitive field of {kind.name}")
    value = str(getattr(record, field) or "")
    grant = unmask_active(user, kind.name, record.pk, now=now) if value else None
    if grant is not None:
        return SensitiveValue(value, True, grant.expires_at, False)
    masked = kind.fields[field](value)
    return SensitiveValue(masked, False, None, bool(value) and user.has_perm(UNMASK))


def reads_of(kind: str, target_id: object) -> QuerySet[AuditEntry]:
    """Who saw the record in full, newest first: from the audit log, whose entries cannot be
    changed or removed, not from the grants."""
    entries = AuditEntry.objects.filter(
        action=UNMASK_ACTION,
        target_type=targets.kind_named(kind).target_type,
        target_id=str(target_id),
    )
    return entries.select_related("actor").order_by("-id")


@dataclass(frozen=True)
class Read:
    at: datetime.datetime
    username: str  # as it was when they read
    name: str  # as it is now
    purpose: str  # the label of the purpose code
    purpose_text: str
    fields: list[str]


def read_rows(kind: str, entries: list[AuditEntry]) -> list[Read]:
    target_kind = targets.kind_named(kind)
    return [
        Read(
            at=entry.at,
            username=entry.actor_label,
            name=entry.actor.name if entry.actor else "",
            purpose=purpose_label(str(entry.details.get("purpose", ""))),
            purpose_text=entry.purpose,
            fields=[
                target_kind.field_label(field)
                for field in entry.details.get("fields", [])
                if field in target_kind.fields
            ],
        )
        for entry in entries
    ]


def purpose_label(code: str) -> str:
    return str(Purpose(code).label) if code in Purpose.values else code
