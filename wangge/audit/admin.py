from django.contrib import admin

from wangge.audit.models import AuditArchive, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are appended by `record()` and never changed or removed."""

    list_display = ("id", "at", "actor_label", "action", "target_type", "target_id", "ip")
    search_fields = ("actor_label", "action", "target_id", "target_label")
    # No date hierarchy or value filters: on a million rows they scan the table. The log page
    # (/audit/) has the indexed filters.
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditArchive)
class AuditArchiveAdmin(admin.ModelAdmin):
    """Read-only: written by `wangge audit archive`, never changed or removed."""

    list_display = ("id", "at", "first_id", "last_id", "rows", "file_name")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
