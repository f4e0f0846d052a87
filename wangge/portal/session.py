"""A resident's verified mobile number, held in their session for a while after they proved
it with a one-time code. It is what lets them act on their own requests, register for a
hearing or comment; it is not a staff sign-in and opens no staff page."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

SESSION_KEY = "wangge_resident"


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (the reverse proxy's, when one is configured to
    pass it on in `WANGGE_TRUSTED_PROXY_HEADER`)."""
    header = getattr(settings, "WANGGE_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def resident_sign_in(request: HttpRequest, phone: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"phone": phone, "at": now.isoformat()}


def resident_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def resident_phone(request: HttpRequest, *, now: datetime | None = None) -> str | None:
    """The mobile number this browser proved, while the proof is fresh; else None."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict) or "phone" not in held:
        return None
    try:
        at = datetime.fromisoformat(held["at"])
    except (KeyError, TypeError, ValueError):
        return None
    now = now or timezone.now()
    if now - at > timedelta(minutes=settings.WANGGE_PORTAL_SESSION_MINUTES):
        return None
    return str(held["phone"])


def verify_url(next_url: str) -> str:
    return reverse("portal:verify") + "?" + urlencode({"next": next_url})


def resident_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view runs with `request.resident_phone` set; without a fresh proof the browser is
    sent to prove its number first, and comes back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        phone = resident_phone(request)
        if phone is None:
            return HttpResponseRedirect(verify_url(request.get_full_path()))
        request.resident_phone = phone  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
