"""Who may read and export the audit log, and which part of it.

Those who hold the permission see the entries of their scope: everything when their scope is
unlimited or covers the root region (district-level auditors), else the entries whose
`region_code` lies in their scope. Entries of no region (sign-ins, refused requests without a
target, archiving) are for district-level auditors only.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from wangge.audit.models import AuditEntry
from wangge.core.scope import scope_q, user_scope

VIEW = "audit.view_auditentry"
EXPORT = "audit.export_auditentry"


def entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    if not user.has_perm(VIEW):
        raise PermissionDenied
    return entries_in_scope(user)


def entries_exportable_by(user: Any) -> QuerySet[AuditEntry]:
    if not user.has_perm(EXPORT):
        raise PermissionDenied
    return entries_in_scope(user)


def entries_in_scope(user: Any) -> QuerySet[AuditEntry]:
    scope = user_scope(user)
    if scope.unlimited:
        return AuditEntry.objects.all()
    if scope.covers(settings.WANGGE_ROOT_REGION):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(scope_q(scope, field="region_code"))
