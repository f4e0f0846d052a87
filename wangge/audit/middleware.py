from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from wangge.audit import services

# One entry per address and minute at most, so a client replaying bad cookies cannot flood
# the log. The limit lives in Django's cache: with the default per-process cache each worker
# process counts for itself (at most one entry per address, minute and process).
SESSION_UNKNOWN_INTERVAL = 60


class UnknownSessionMiddleware:
    """Record a request whose session cookie names no session: a tampered or made-up cookie,
    or one whose session has ended (expired, signed out elsewhere, cleared): the server
    cannot tell these apart, so the entry says "unknown or expired". The request itself goes
    on as Django treats it anyway: signed out, the cookie removed by the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.session_unknown(request) and self.first_this_minute(request):
            # Not refusal_record(): a refusal later in the same request is recorded too.
            details = services.request_details(request)
            services.record(
                actor=None, action=services.SESSION_UNKNOWN, details=details, request=request
            )
        return self.get_response(request)

    def session_unknown(self, request: HttpRequest) -> bool:
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        session = getattr(request, "session", None)
        if session is None:
            return False
        # Reading the session loads it (authentication does so anyway); a cookie naming no
        # stored session leaves it without a key.
        session.get("_auth_user_id")
        return session.session_key is None

    def first_this_minute(self, request: HttpRequest) -> bool:
        address = services.client_address(request) or "unknown"
        key = f"audit:session_unknown:{address}"
        return bool(cache.add(key, True, timeout=SESSION_UNKNOWN_INTERVAL))
