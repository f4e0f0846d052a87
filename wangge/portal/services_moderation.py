"""Moderating residents' requests before anything of them is public: publish with a text the
moderator checked (personal data taken out) and a choice on the photos, or withhold with a
note. Only requests in a category that may be shown publicly can be published."""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.portal.models import Moderation, PortalRequest

MOBILE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
IDENTITY_RE = re.compile(r"(?<![0-9Xx])\d{17}[0-9Xx](?![0-9Xx])")
# Landline numbers (0931-1234567) and plate numbers (甘A12345) are masked in the suggestion too.
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
PLATE_RE = re.compile(r"[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}")
PUBLIC_TEXT_MAX = 4000


class Conflict(Exception):
    """Another moderator decided first."""


def suggested_text(text: str) -> str:
    """The resident's words with identity numbers, mobiles, landlines and plates masked."""
    text = IDENTITY_RE.sub(lambda m: m.group(0)[:4] + "*" * 10 + m.group(0)[-4:], text)
    text = MOBILE_RE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)
    text = LANDLINE_RE.sub("****", text)
    return PLATE_RE.sub(lambda m: m.group(0)[:2] + "***", text)


def personal_data_in(text: str) -> bool:
    return bool(MOBILE_RE.search(text) or IDENTITY_RE.search(text))


def moderate(
    user: Any,
    request_id: int,
    *,
    publish: bool,
    seen_at: datetime.datetime | None,
    public_text: str = "",
    photos_public: bool = False,
    note: str = "",
    request: HttpRequest | None = None,
) -> PortalRequest:
    """Decide on a pending request. `seen_at` is the request's `moderated_at` when the form
    was shown (None while pending): a decision taken on a stale view is a `Conflict`."""
    public_text = public_text.strip()
    note = note.strip()
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    if publish:
        if not public_text:
            raise ValidationError({"public_text": _("Write the text to be shown publicly.")})
        if len(public_text) > PUBLIC_TEXT_MAX:
            raise ValidationError({"public_text": _("At most 4000 characters.")})
        if personal_data_in(public_text):
            raise ValidationError(
                {
                    "public_text": _(
                        "The text still contains a mobile or identity number; take it out."
                    )
                }
            )
    elif not note:
        raise ValidationError({"note": _("Say why it is not published.")})
    with transaction.atomic():
        item = (
            PortalRequest.objects.select_for_update()
            .select_related("case__category")
            .get(pk=request_id)
        )
        if item.moderated_at != seen_at:
            raise Conflict
        if publish and not item.case.category.public:
            raise ValidationError(
                {
                    "public_text": _(
                        "Requests of this category may not be shown publicly; withhold it."
                    )
                }
            )
        item.moderation = Moderation.PUBLISHED if publish else Moderation.WITHHELD
        item.public_text = public_text if publish else ""
        item.photos_public = bool(publish and photos_public)
        item.moderated_by = user
        item.moderated_at = timezone.now()
        item.moderation_note = note
        item.save(
            update_fields=[
                "moderation",
                "public_text",
                "photos_public",
                "moderated_by",
                "moderated_at",
                "moderation_note",
            ]
        )
        record(
            actor=user,
            action="portal.request_publish" if publish else "portal.request_withhold",
            target=item,
            details={"case": item.case.number, "photos_public": item.photos_public, "note": note},
            request=request,
            region_code=item.case.region_code,
        )
    return item
