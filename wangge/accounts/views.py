from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wangge.accounts import services, totp
from wangge.accounts.forms import LOCK_MESSAGES, CodeForm, SetupForm, SignInForm, offer_for
from wangge.accounts.models import User
from wangge.accounts.passwords import describe as describe_password_rules
from wangge.accounts.roles import CAPABILITY_LABELS
from wangge.accounts.selectors import active_memberships, totp_required
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.regions.models import Region

# The session key of a sign-in waiting for its code, and how long it may wait.
PENDING_SIGN_IN = "wangge_totp_pending"
PENDING_SECONDS = 5 * 60


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

    def form_valid(self, form: Any) -> HttpResponse:
        """A right password signs in at once, unless the person has an authenticator app:
        then they are asked for its code first."""
        user = form.get_user()
        if not user.totp_confirmed_at:
            return super().form_valid(form)
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
        }
        return redirect(with_next(reverse("accounts:login_code"), self.get_redirect_url()))


@access("public", note="the second sign-in step, after the password: a code from the app")
def sign_in_code(request: HttpRequest) -> HttpResponse:
    had_pending = PENDING_SIGN_IN in request.session
    pending = pending_sign_in(request.session)
    if pending is None:
        if had_pending:
            messages.error(
                request, _("Signing in took too long. Please enter your password again.")
            )
        return redirect(with_next(reverse("login"), next_requested(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        finished = sign_in_finish(request, *pending, code=form.cleaned_data["code"])
        if finished:
            return finished
        form.add_error("code", services.totp_wrong_code_message())
    context = {"form": form, "next": next_requested(request)}
    return render(request, "registration/login_code.html", context)


def sign_in_finish(
    request: HttpRequest, user: User, backend: str, *, code: str
) -> HttpResponse | None:
    """Signs in on the right code; a lockout ends the attempt; None (the failure counted)
    for a wrong code."""
    address = request.META.get("REMOTE_ADDR")
    reason = services.signin_lock_reason(username=user.username, address=address)
    if reason:
        services.signin_locked_record(username=user.username, reason=reason, request=request)
        del request.session[PENDING_SIGN_IN]
        messages.error(request, LOCK_MESSAGES[reason])
        return redirect(with_next(reverse("login"), next_requested(request)))
    if services.totp_code_accept(user=user, code=code):
        del request.session[PENDING_SIGN_IN]
        services.signin_succeeded(username=user.username)
        auth_login(request, user, backend=backend)
        return redirect(next_requested(request) or resolve_url(settings.LOGIN_REDIRECT_URL))
    services.totp_code_refused(user=user, address=address, request=request)
    return None


def pending_sign_in(session: SessionBase) -> tuple[User, str] | None:
    """The person and backend of a sign-in waiting for its code; a stale one is dropped."""
    pending = session.get(PENDING_SIGN_IN)
    if not pending:
        return None
    age = timezone.now().timestamp() - pending["at"]
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if not 0 <= age <= PENDING_SECONDS or user is None or not user.totp_confirmed_at:
        del session[PENDING_SIGN_IN]
        return None
    return user, pending["backend"]


def next_requested(request: HttpRequest) -> str:
    """The `next` address when it is on this site, else empty (as Django's LoginView)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


@access("signed_in", note="set up one's own authenticator app, or see that it is set up")
@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if user.totp_confirmed_at:
        return render_enrolled(request, user, CodeForm())
    form = SetupForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret, code = form.cleaned_data["offer"], form.cleaned_data["code"]
        try:
            services.totp_enrol(user=user, secret=secret, code=code, request=request)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("accounts:totp")
    secret = form.offered_secret() or totp.secret_new()
    uri = totp.provisioning_uri(secret, account=user.username, issuer=settings.WANGGE_TOTP_ISSUER)
    context = {
        "form": form,
        "offer": offer_for(user, secret),
        "secret": totp.secret_grouped(secret),
        "uri": uri,
        "qr": qr_svg(uri),
        "required": totp_required(user),
    }
    return render(request, "accounts/totp_setup.html", context)


@access("signed_in", note="turn off one's own authenticator app, when the role allows")
@login_required
def totp_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if request.method != "POST" or not user.totp_confirmed_at:
        return redirect("accounts:totp")
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.totp_disable(user=user, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Your authenticator app is turned off."))
            return redirect("accounts:totp")
    return render_enrolled(request, user, form)


def render_enrolled(request: HttpRequest, user: User, form: CodeForm) -> HttpResponse:
    context = {"form": form, "required": totp_required(user), "since": user.totp_confirmed_at}
    return render(request, "accounts/totp_enrolled.html", context)


def qr_svg(text: str) -> str:
    """The QR code as inline SVG markup, drawn here: nothing is fetched, no script runs."""
    code = segno.make(text, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr")
    return mark_safe(svg)  # segno's own markup: the text is in the modules, not in the SVG


@access("signed_in", note="choose one's own password")
class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("web:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rules"] = describe_password_rules()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_by_owner(user=form.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response
