"""Sign-in events, from Django's auth signals, into the audit log."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from wangge.audit.services import record

LOGIN = "auth.login"
LOGOUT = "auth.logout"
LOGIN_FAILED = "auth.login_failed"


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(actor=user, action=LOGIN, target=user, request=request)


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # signing out when nobody was signed in
        return
    record(actor=user, action=LOGOUT, target=user, request=request)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only the name that was tried: Django has already masked the password, and it is not
    kept even masked."""
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))[:150]
    record(actor=None, action=LOGIN_FAILED, details={"username": username}, request=request)
