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


ADMIN_ACTIONS = {1: "admin.added", 2: "admin.changed", 3: "admin.deleted"}


def admin_logged(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every add, change and delete made in Django's admin, from its own LogEntry: the admin
    bypasses the services, so this is where its writes reach the audit trail."""
    if not created:
        return
    try:
        target = instance.get_edited_object()
    except Exception:  # deleted, or a model that no longer exists
        target = None
    record(
        actor=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.changed"),
        target=target,
        details={
            "model": instance.content_type.model if instance.content_type else "",
            "object_id": str(instance.object_id or ""),
            "object": str(instance.object_repr),
            "change": str(instance.get_change_message())[:500],
        },
    )
