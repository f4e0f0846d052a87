from django.contrib import admin

from wangge.cases.models import ApiClient, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """A district adjusts its categories here (names, public flag, limits as data, units'
    kinds); codes and the tree stay as seeded, and categories in use are never deleted."""

    list_display = (
        "code",
        "name",
        "kind",
        "department_kind",
        "on_site_verification",
        "public",
        "active",
    )
    list_filter = ("kind", "public", "active", "department_kind")
    search_fields = ("code", "name")
    readonly_fields = ("code", "parent", "kind", "leaf", "source", "certainty")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Open311 clients; keys are made with `wangge open311_key` and only their hash is kept."""

    list_display = ("name", "account", "active", "created_at")
    readonly_fields = ("key_hash", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
