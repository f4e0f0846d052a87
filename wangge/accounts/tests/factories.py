"""Helpers that put accounts into states the tests start from."""

import time

from django.utils import timezone

from wangge.accounts import totp
from wangge.accounts.models import User


def totp_enrolled(user: User) -> str:
    """Give the person a confirmed authenticator app; returns its secret."""
    user.totp_secret = totp.secret_new()
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return user.totp_secret


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """What the app shows now, or `steps_ahead` 30-second steps from now (still accepted
    one step ahead: the window allows a phone clock slightly fast)."""
    return totp.totp(totp.secret_key(secret), time.time() + steps_ahead * totp.STEP_SECONDS)
