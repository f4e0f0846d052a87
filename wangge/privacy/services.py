"""Granting a full view of a record's personal data: the grant and its audit entry together."""

import datetime
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.privacy.access import UNMASK, target_get_for
from wangge.privacy.models import (
    PURPOSE_TEXT_MAX,
    PURPOSE_TEXT_MIN,
    UNMASK_ACTION,
    Purpose,
    UnmaskGrant,
)


def unmask_minutes() -> int:
    """How long a grant lasts: WANGGE_UNMASK_MINUTES in the settings or the environment."""
    configured = getattr(settings, "WANGGE_UNMASK_MINUTES", None)
    return int(configured or os.environ.get("WANGGE_UNMASK_MINUTES", "10"))


def purpose_checked(purpose: str, purpose_text: str) -> str:
    """The purpose text, stripped; a purpose from the list and a text of a few words are
    required for every purpose, so that each read can be checked against the work it served."""
    errors: dict[str, str] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose the purpose from the list.")
    text = (purpose_text or "").strip()
    if not PURPOSE_TEXT_MIN <= len(text) <= PURPOSE_TEXT_MAX:
        errors["purpose_text"] = _(
            "Describe the purpose in %(min)d to %(max)d characters, for example the case "
            "number or the household visited."
        ) % {"min": PURPOSE_TEXT_MIN, "max": PURPOSE_TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    return text


def unmask_grant(
    *,
    actor: Any,
    kind: str,
    target_id: object,
    purpose: str,
    purpose_text: str,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> UnmaskGrant:
    """Let `actor` see the record's personal data in full for a while, and record why.

    PermissionDenied without the capability, Http404 for an unknown kind or a record out of
    scope, ValidationError for a missing or unclear purpose: in each case nothing is written.
    """
    target_kind, target = target_get_for(actor, kind, target_id, action=UNMASK)
    text = purpose_checked(purpose, purpose_text)
    granted_at = now or timezone.now()
    minutes = unmask_minutes()
    with transaction.atomic():
        grant = UnmaskGrant.objects.create(
            user=actor,
            target_type=target_kind.target_type,
            target_id=str(target.pk),
            purpose=purpose,
            purpose_text=text,
            granted_at=granted_at,
            expires_at=granted_at + datetime.timedelta(minutes=minutes),
        )
        record(
            actor=actor,
            action=UNMASK_ACTION,
            target=target,
            purpose=text,
            details={
                "purpose": purpose,
                "kind": target_kind.name,
                "fields": sorted(target_kind.fields),
                "minutes": minutes,
                "grant": grant.pk,
            },
            request=request,
            region_code=target_kind.region_of(target),
        )
    if hasattr(actor, "_wangge_live_grants"):
        del actor._wangge_live_grants  # the request's cached grants are stale now
    return grant
