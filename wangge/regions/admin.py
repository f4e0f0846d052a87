from django.contrib import admin

from wangge.regions.models import GridAssignment, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Names and codes only: boundaries change through `wangge regions import`, which checks
    them and moves the boundary version so every process rebuilds its index."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "urban_rural_code")
    readonly_fields = ("code", "level", "parent")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    list_display = ("grid", "user", "role", "starts_on", "ends_on")
    list_filter = ("role",)
    search_fields = ("grid__code", "grid__name", "user__name", "user__username")
    raw_id_fields = ("grid", "user")
