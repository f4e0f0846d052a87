import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
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


def session_untouched(view: Any) -> Any:
    """Mark a view that only polls (a progress bar): it does not move the session's idle
    expiry, so it never writes the session."""
    view.session_untouched = True
    return view


class SessionTouchMiddleware:
    """Sliding idle expiry with at most one session write a minute per session
    (`WANGGE_SESSION_TOUCH_SECONDS`), instead of Django's write on every request: on SQLite a
    write waits for any long write transaction (a register import) to end, so a write per
    request would stall every page for as long as an import writes. Sessions still end
    `SESSION_COOKIE_AGE` after the last touch, give or take that minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or getattr(request, "untouched", False):
            return response
        now = int(time.time())
        if now - int(session.get("_touched", 0)) >= settings.WANGGE_SESSION_TOUCH_SECONDS:
            session["_touched"] = now  # marks the session modified: saved with a new expiry
        return response

    def process_view(self, request: HttpRequest, view: Any, *args: Any) -> None:
        if getattr(view, "session_untouched", False):
            request.untouched = True  # type: ignore[attr-defined]
