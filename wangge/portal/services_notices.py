"""Public notices (公示): created by staff for a region within their scope, shown from the
first to the last day, withdrawn with a reason. A welfare notice (低保 and other assistance)
is shown for at least 7 days. Listed people are stored in full and always shown masked."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.ids import is_valid_identity_number
from wangge.core.masking import mask_identity_number, mask_name
from wangge.core.scope import user_scope
from wangge.portal import documents
from wangge.portal.models import Notice, NoticeDocument, NoticeEntry, NoticeKind

WELFARE_MIN_DAYS = 7
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class NoticeInput:
    region_code: str
    kind: str
    title: str
    body: str
    issuer: str
    starts_on: datetime.date
    ends_on: datetime.date
    objections_to: str = ""
    entries: str = ""


@dataclass(frozen=True)
class Entry:
    name: str
    id_number: str
    detail: str


def parse_entries(text: str) -> list[Entry]:
    """Lines `name,identity number,detail` (a Chinese comma works too); empty lines skipped.
    Every bad line is named with why; nothing is kept when one is bad."""
    entries: list[Entry] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("，", ",")
        if not line:
            continue
        parts = [part.strip() for part in line.split(",", 2)]
        while len(parts) < 3:
            parts.append("")
        name, id_number, detail = parts
        if not name:
            problems.append(_("Line %(line)d: the name is missing.") % {"line": number})
        elif len(name) > 64:
            problems.append(_("Line %(line)d: the name is too long.") % {"line": number})
        elif id_number and not is_valid_identity_number(id_number):
            problems.append(
                _("Line %(line)d: the identity number is not a valid 18-character number.")
                % {"line": number}
            )
        elif len(detail) > 200:
            problems.append(
                _("Line %(line)d: the detail is longer than 200 characters.") % {"line": number}
            )
        else:
            entries.append(Entry(name, id_number.upper(), detail))
    if len(entries) > MAX_ENTRIES:
        problems.append(_("At most %(most)d entries.") % {"most": MAX_ENTRIES})
    if problems:
        raise ValidationError({"entries": problems[:20]})
    return entries


def check_dates(kind: str, starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must not be before the first day.")})
    days = (ends_on - starts_on).days + 1
    if kind == NoticeKind.WELFARE and days < WELFARE_MIN_DAYS:
        raise ValidationError(
            {
                "ends_on": _(
                    "A welfare notice is shown for at least %(days)d days; this one would be "
                    "shown for %(shown)d."
                )
                % {"days": WELFARE_MIN_DAYS, "shown": days}
            }
        )


def create(
    user: Any,
    data: NoticeInput,
    uploads: list[Any] | None = None,
    *,
    request: HttpRequest | None = None,
) -> Notice:
    """Checks everything (scope, dates, entries, files) before writing anything."""
    if not user_scope(user).covers(data.region_code):
        raise ValidationError({"region_code": _("You may not publish for this region.")})
    check_dates(data.kind, data.starts_on, data.ends_on)
    entries = parse_entries(data.entries)
    try:
        files = documents.checked_all(uploads or [])
    except ValidationError as error:
        raise ValidationError({"documents": error.messages}) from None
    with transaction.atomic():
        notice = Notice.objects.create(
            region_code=data.region_code,
            kind=data.kind,
            title=data.title,
            body=data.body,
            issuer=data.issuer,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            objections_to=data.objections_to,
            created_by=user,
            created_at=timezone.now(),
        )
        NoticeEntry.objects.bulk_create(
            NoticeEntry(
                notice=notice,
                position=position,
                name=entry.name,
                id_number=entry.id_number,
                detail=entry.detail,
            )
            for position, entry in enumerate(entries, start=1)
        )
        documents.store(NoticeDocument, "notice", notice, files, user)
        record(
            actor=user,
            action="portal.notice_publish",
            target=notice,
            details={"entries": len(entries), "documents": len(files), "kind": data.kind},
            request=request,
            region_code=notice.region_code,
        )
    return notice


def withdraw(
    user: Any, notice: Notice, reason: str, *, request: HttpRequest | None = None
) -> Notice:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("At most 200 characters.")})
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError({"reason": _("This notice was already withdrawn.")})
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(
            actor=user,
            action="portal.notice_withdraw",
            target=locked,
            details={"reason": reason},
            request=request,
            region_code=locked.region_code,
        )
    return locked


def public(today: datetime.date | None = None) -> QuerySet[Notice]:
    """Notices a visitor may open: started and not withdrawn."""
    today = today or timezone.localdate()
    return Notice.objects.filter(starts_on__lte=today, withdrawn_at__isnull=True)


def shown_now_q(today: datetime.date) -> Q:
    return Q(starts_on__lte=today, ends_on__gte=today, withdrawn_at__isnull=True)


def masked_entries(notice: Notice) -> list[dict[str, Any]]:
    return [
        {
            "position": entry.position,
            "name": mask_name(entry.name),
            "id_number": mask_identity_number(entry.id_number),
            "detail": entry.detail,
        }
        for entry in notice.entries.all()
    ]
