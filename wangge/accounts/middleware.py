from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from wangge.accounts.selectors import totp_required


class PasswordChangeRequiredMiddleware:
    """Someone whose password an administrator set may do nothing but choose their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)


class TotpEnrolmentRequiredMiddleware:
    """Someone whose role requires a second factor may do nothing but set one up (or sign
    out, switch language, change a password they were told to change) until they have."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.totp_confirmed_at
            and not self.allowed_anyway(request.path)
            and totp_required(user)
        ):
            return redirect("accounts:totp")
        return self.get_response(request)

    @staticmethod
    def allowed_anyway(path: str) -> bool:
        names = ("accounts:totp", "accounts:password_change", "logout", "set_language")
        return path in {reverse(name) for name in names} or path.startswith("/static/")
