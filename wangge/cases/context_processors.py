from functools import cache
from typing import Any

from django.http import HttpRequest

from wangge.cases import notify


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the signed-in person's unread count, counted only when a
    template uses it (and then once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": cache(lambda: notify.unread_count(user))}
