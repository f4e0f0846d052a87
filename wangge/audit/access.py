"""Who may read and export the audit log.

The whole log for those who hold the permission. Entries carry `region_code` so that the log
can later be scoped by region like other records; sign-in events belong to no region.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from wangge.audit.models import AuditEntry

VIEW = "audit.view_auditentry"
EXPORT = "audit.export_auditentry"


def entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    if not user.has_perm(VIEW):
        raise PermissionDenied
    return AuditEntry.objects.all()


def entries_exportable_by(user: Any) -> QuerySet[AuditEntry]:
    if not user.has_perm(EXPORT):
        raise PermissionDenied
    return AuditEntry.objects.all()
