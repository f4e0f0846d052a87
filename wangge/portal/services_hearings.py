"""Hearings, consultations and expert reviews: announced by staff for a region in their
scope; residents with a proved mobile register for a seat (one per mobile, never more than
the seats: counted under a row lock on the hearing) and write comments while the comment
window is open, which are public only after a moderator publishes them; staff record the
minutes, the expert review and the outcome with its reasons (optimistic lock on `version`)."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.scope import user_scope
from wangge.portal import documents, sms, throttle
from wangge.portal.models import (
    Hearing,
    HearingComment,
    HearingDocument,
    HearingRegistration,
    Moderation,
)

COMMENTS_PER_DAY = 5
MOBILE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
IDENTITY_RE = re.compile(r"(?<![0-9Xx])\d{17}[0-9Xx](?![0-9Xx])")


class Conflict(Exception):
    """Someone else saved the hearing since this form was opened."""


@dataclass(frozen=True)
class HearingInput:
    region_code: str
    kind: str
    title: str
    agenda: str
    organiser: str
    place: str = ""
    held_at: datetime.datetime | None = None
    seats: int = 0
    registration_closes_at: datetime.datetime | None = None
    comments_open_at: datetime.datetime | None = None
    comments_close_at: datetime.datetime | None = None


def registration_open(hearing: Hearing, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        hearing.concluded_at is None
        and hearing.seats > 0
        and hearing.registration_closes_at is not None
        and now < hearing.registration_closes_at
        and (hearing.held_at is None or now < hearing.held_at)
    )


def comments_open(hearing: Hearing, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        hearing.concluded_at is None
        and hearing.comments_open_at is not None
        and hearing.comments_close_at is not None
        and hearing.comments_open_at <= now < hearing.comments_close_at
    )


def seats_taken(hearing: Hearing) -> int:
    return HearingRegistration.objects.filter(hearing=hearing, cancelled_at__isnull=True).count()


def create(
    user: Any,
    data: HearingInput,
    uploads: list[Any] | None = None,
    *,
    request: HttpRequest | None = None,
) -> Hearing:
    if not user_scope(user).covers(data.region_code):
        raise ValidationError({"region_code": _("You may not publish for this region.")})
    if data.seats and data.registration_closes_at is None:
        raise ValidationError(
            {"registration_closes_at": _("Say when registration closes, or offer no seats.")}
        )
    if (data.comments_open_at is None) != (data.comments_close_at is None):
        raise ValidationError(
            {"comments_close_at": _("Give both the opening and the closing of the comments.")}
        )
    if (
        data.comments_open_at is not None
        and data.comments_close_at is not None
        and data.comments_close_at <= data.comments_open_at
    ):
        raise ValidationError({"comments_close_at": _("Comments must close after they open.")})
    try:
        files = documents.checked_all(uploads or [])
    except ValidationError as error:
        raise ValidationError({"documents": error.messages}) from None
    with transaction.atomic():
        hearing = Hearing.objects.create(
            region_code=data.region_code,
            kind=data.kind,
            title=data.title,
            agenda=data.agenda,
            organiser=data.organiser,
            place=data.place,
            held_at=data.held_at,
            seats=data.seats,
            registration_closes_at=data.registration_closes_at,
            comments_open_at=data.comments_open_at,
            comments_close_at=data.comments_close_at,
            created_by=user,
            created_at=timezone.now(),
        )
        documents.store(HearingDocument, "hearing", hearing, files, user)
        record(
            actor=user,
            action="portal.hearing_announce",
            target=hearing,
            details={"kind": data.kind, "seats": data.seats, "documents": len(files)},
            request=request,
            region_code=hearing.region_code,
        )
    return hearing


def record_results(
    user: Any,
    hearing: Hearing,
    *,
    version: int,
    minutes: str,
    expert_review: str,
    outcome: str,
    reasons: str,
    conclude: bool,
    request: HttpRequest | None = None,
) -> Hearing:
    """Save the minutes, expert review, outcome and reasons; `conclude` ends it (then an
    outcome and its reasons are required). A stale `version` raises Conflict."""
    if conclude and not (outcome.strip() and reasons.strip()):
        raise ValidationError({"outcome": _("To conclude, say what was decided and why.")})
    with transaction.atomic():
        fields: dict[str, Any] = {
            "minutes": minutes,
            "expert_review": expert_review,
            "outcome": outcome,
            "reasons": reasons,
            "version": F("version") + 1,
        }
        if conclude:
            fields["concluded_at"] = timezone.now()
        changed = Hearing.objects.filter(
            pk=hearing.pk, version=version, concluded_at__isnull=True
        ).update(**fields)
        if not changed:
            raise Conflict
        hearing.refresh_from_db()
        record(
            actor=user,
            action="portal.hearing_conclude" if conclude else "portal.hearing_record",
            target=hearing,
            details={"version": hearing.version},
            request=request,
            region_code=hearing.region_code,
        )
    return hearing


def register(
    hearing_id: int, phone: str, name: str, *, now: datetime.datetime | None = None
) -> HearingRegistration:
    """One seat for this mobile; the seats are counted under a lock on the hearing's row."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the name you will attend under.")})
    if len(name) > 64:
        raise ValidationError({"name": _("At most 64 characters.")})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            hearing = Hearing.objects.select_for_update().get(pk=hearing_id)
            if not registration_open(hearing, now):
                raise ValidationError({"name": _("Registration for this is not open.")})
            if HearingRegistration.objects.filter(hearing=hearing, phone=phone).exists():
                raise ValidationError(
                    {"name": _("This mobile number is already registered for it.")}
                )
            if seats_taken(hearing) >= hearing.seats:
                raise ValidationError({"name": _("Sorry, all seats are taken (full).")})
            registration = HearingRegistration.objects.create(
                hearing=hearing, phone=phone, name=name, created_at=now
            )
    except IntegrityError:
        raise ValidationError(
            {"name": _("This mobile number is already registered for it.")}
        ) from None
    when = timezone.localtime(hearing.held_at).strftime("%Y-%m-%d %H:%M") if hearing.held_at else ""
    sms.send(
        phone,
        _("You are registered for “%(title)s” %(when)s %(place)s.")
        % {"title": hearing.title[:40], "when": when, "place": hearing.place[:40]},
    )
    return registration


def comment(
    hearing: Hearing,
    phone: str,
    body: str,
    *,
    signed_as: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> HearingComment:
    """Stored pending; public only after moderation. At most 5 a day per mobile and hearing."""
    now = now or timezone.now()
    body = body.strip()
    signed_as = signed_as.strip()
    if not comments_open(hearing, now):
        if hearing.comments_open_at and now < hearing.comments_open_at and not hearing.concluded_at:
            message = _("Comments are not open yet.")
        else:
            message = _("Comments are closed for this.")
        raise ValidationError({"body": message})
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("At most 4000 characters.")})
    if len(signed_as) > 32:
        raise ValidationError({"signed_as": _("At most 32 characters.")})
    try:
        throttle.hit(
            f"hearing-comment:{hearing.pk}:{phone}",
            COMMENTS_PER_DAY,
            datetime.timedelta(days=1),
            now=now,
        )
    except throttle.Throttled:
        raise ValidationError(
            {
                "body": _("You have sent %(most)d comments on this today; try again tomorrow.")
                % {"most": COMMENTS_PER_DAY}
            }
        ) from None
    return HearingComment.objects.create(
        hearing=hearing,
        phone=phone,
        signed_as=signed_as,
        body=body,
        created_at=now,
        ip=ip,
    )


def personal_data_in(text: str) -> bool:
    return bool(MOBILE_RE.search(text) or IDENTITY_RE.search(text))


def moderate(
    user: Any,
    comment_id: int,
    *,
    publish: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> HearingComment:
    note = note.strip()
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    with transaction.atomic():
        item = (
            HearingComment.objects.select_for_update().select_related("hearing").get(pk=comment_id)
        )
        if publish and personal_data_in(item.body + " " + item.signed_as):
            raise ValidationError(
                {
                    "note": _(
                        "This comment contains a mobile or identity number; it may not be "
                        "published. Withhold it with a note."
                    )
                }
            )
        if not publish and not note:
            raise ValidationError({"note": _("Say why it is not published.")})
        item.moderation = Moderation.PUBLISHED if publish else Moderation.WITHHELD
        item.moderated_by = user
        item.moderated_at = timezone.now()
        item.moderation_note = note
        item.save(update_fields=["moderation", "moderated_by", "moderated_at", "moderation_note"])
        record(
            actor=user,
            action="portal.comment_publish" if publish else "portal.comment_withhold",
            target=item,
            details={"hearing": item.hearing_id, "note": note},
            request=request,
            region_code=item.hearing.region_code,
        )
    return item
