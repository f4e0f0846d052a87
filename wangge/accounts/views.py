from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from wangge.accounts import services
from wangge.accounts.forms import SignInForm
from wangge.accounts.models import User
from wangge.accounts.passwords import describe as describe_password_rules
from wangge.accounts.roles import CAPABILITY_LABELS
from wangge.accounts.selectors import active_memberships
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.regions.models import Region


@access("signed_in", note="one's own posts, capabilities and reach")
@login_required
def my_access(request: HttpRequest) -> HttpResponse:
    """What the signed-in person holds and can reach: posts, capabilities, regions."""
    user = request.user
    assert isinstance(user, User)  # login_required
    scope = user_scope(user)
    capabilities = sorted(
        str(CAPABILITY_LABELS.get(name, name)) for name in user.get_all_permissions()
    )
    return render(
        request,
        "accounts/my_access.html",
        {
            "posts": active_memberships(user).select_related("region"),
            "capabilities": capabilities,
            "regions": Region.objects.filter(code__in=scope.region_codes).order_by("code"),
            "unlimited": scope.unlimited,
            "departments": [
                membership.department
                for membership in active_memberships(user)
                if membership.department_id
            ],
        },
    )


@access("public", note="the sign-in page")
class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = User.objects.filter(is_demo=True).exists()
        return context


@access("signed_in", note="choose one's own password")
class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("web:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rules"] = describe_password_rules()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_by_owner(user=form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response
