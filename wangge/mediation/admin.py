from django.contrib import admin

from wangge.mediation.models import MediationBody, ScreeningSettings


@admin.register(MediationBody)
class MediationBodyAdmin(admin.ModelAdmin):
    """Which units mediate, and how (三调联动); a body in use is retired (`active`), never
    deleted."""

    list_display = ("department", "type", "active")
    list_filter = ("type", "active")
    search_fields = ("department__name", "department__code")
    autocomplete_fields = ("department",)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ScreeningSettings)
class ScreeningSettingsAdmin(admin.ModelAdmin):
    """The district's screening cadence for villages (monthly or every half month) and how
    many days after a period its report is due."""

    list_display = ("district_code", "village_cadence", "due_days")
