from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from wangge.accounts import services
from wangge.accounts.models import Department, Membership, User


class AdministratorSetPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator must be replaced by its owner at the next sign-in."""

    def save(self, commit: bool = True) -> User:
        services.password_set_by_administrator(
            actor=None, user=self.user, password=self.cleaned_data["password1"]
        )
        return self.user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = AdministratorSetPasswordForm
    actions = ["unlock_sign_in"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "mobile", "email")}),
        (_("Sign-in"), {"fields": ("must_change_password", "is_demo")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "name", "is_staff", "is_active")
    search_fields = ("username", "name")
    ordering = ("username",)

    @admin.action(description=_("Unlock sign-in for the selected users"))
    def unlock_sign_in(self, request, queryset):  # type: ignore[no-untyped-def]
        unlocked = sum(
            services.signin_unlock(actor=request.user, username=user.username) > 0
            for user in queryset
        )
        self.message_user(request, _("%(count)d accounts unlocked.") % {"count": unlocked})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "department", "starts_on", "ends_on")
    list_filter = ("role",)
    search_fields = ("user__username", "user__name", "region__code", "region__name")
    raw_id_fields = ("user", "region", "department")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("region",)
