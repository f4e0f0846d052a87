from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wangge.accounts import services
from wangge.accounts.models import Department, Membership, User


def admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own sign-in form would skip the lockout and the second factor, so the
    admin sends people to the platform's sign-in page instead."""
    if request.user.is_active and request.user.is_staff:
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = admin_sign_in  # type: ignore[method-assign]


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
    actions = ["unlock_sign_in", "reset_second_factor"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "mobile", "email")}),
        (_("Sign-in"), {"fields": ("must_change_password", "is_demo", "totp_confirmed_at")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("totp_confirmed_at",)
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

    @admin.action(
        description=_("Reset the second factor (lost phone) of the selected users"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):  # type: ignore[no-untyped-def]
        reset = sum(
            services.totp_reset(actor=request.user, user=user, request=request) for user in queryset
        )
        message = ngettext(
            "%(count)d second factor reset.", "%(count)d second factors reset.", reset
        )
        self.message_user(request, message % {"count": reset})


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
