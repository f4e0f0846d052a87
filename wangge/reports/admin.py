from django.contrib import admin

from wangge.reports.models import WarningRule


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    """Early-warning rules are data: a district tunes the parameters (k, at least, threshold,
    periods in a row) or switches a rule off; rules with warnings are never deleted."""

    list_display = ("name", "kind", "params", "active")
    list_filter = ("kind", "active")

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or not obj.warnings.exists()
