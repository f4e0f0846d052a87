"""Rate limits without a third-party captcha: attempts are counted per key (a mobile number,
or an address and what it tried) over a sliding window, in the database, so that every
server process sees the same counts. Old rows are swept by `sweep`."""

from datetime import datetime, timedelta

from django.utils import timezone

from wangge.portal.models import ThrottleHit


class Throttled(Exception):
    """Too many attempts under one key; `retry_after` is in seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(retry_after)


def hit(key: str, limit: int, window: timedelta, *, now: datetime | None = None) -> None:
    """Count one attempt under `key`; raise Throttled (counting nothing) when `limit`
    attempts were already made within `window`."""
    now = now or timezone.now()
    key = key[:96]
    recent = ThrottleHit.objects.filter(key=key, at__gt=now - window)
    if recent.count() >= limit:
        oldest = recent.order_by("at").values_list("at", flat=True)[:1]
        first = oldest[0] if oldest else now
        raise Throttled(max(1, int((first + window - now).total_seconds()) + 1))
    ThrottleHit.objects.create(key=key, at=now)


def used(key: str, window: timedelta, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return ThrottleHit.objects.filter(key=key[:96], at__gt=now - window).count()


def sweep(older_than: timedelta = timedelta(days=2), *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = ThrottleHit.objects.filter(at__lt=now - older_than).delete()
    return deleted
