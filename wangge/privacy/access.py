"""Who may see personal data in full, and who may see who did.

The capability comes first (403 whatever the record, so it reveals nothing), then the record
through its kind's scope gate (404 when it is unknown or out of scope).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from wangge.privacy import targets
from wangge.privacy.targets import TargetKind

UNMASK = "privacy.unmask_personal"
VIEW_READS = "privacy.view_reads"


def target_get_for(
    user: Any, kind: str, target_id: object, *, action: str
) -> tuple[TargetKind, Model]:
    """The kind and the record, for a user who holds `action` and reaches the record."""
    if not user.has_perm(action):
        raise PermissionDenied
    try:
        target_kind = targets.kind_named(kind)
    except targets.UnknownKind:
        raise Http404 from None
    return target_kind, target_kind.get_for(user, target_id)
