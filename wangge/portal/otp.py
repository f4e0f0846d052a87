"""One-time codes that prove a resident holds a mobile number.

A code is six digits, sent by text message, valid for `WANGGE_OTP_MINUTES`, good for
`WANGGE_OTP_ATTEMPTS` wrong tries and used once; only its keyed hash is stored. Sending is
limited per number and per address (`throttle`), checking per address, so neither guessing
codes nor flooding someone's phone works.
"""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.portal import sms, throttle
from wangge.portal.models import OneTimeCode

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone_checked(value: str) -> str:
    """A mainland mobile number, 11 digits; spaces and dashes are ignored."""
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not MOBILE.match(phone):
        raise ValidationError({"phone": _("Enter an 11-digit mobile number, e.g. 13800000000.")})
    return phone


def _hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"otp:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _throttled(error: throttle.Throttled) -> ValidationError:
    minutes = max(1, (error.retry_after + 59) // 60)
    return ValidationError(
        {
            "phone": _("Too many tries; wait %(minutes)d minutes and try again.")
            % {"minutes": minutes}
        }
    )


def code_send(phone: str, *, ip: str | None = None, now: datetime | None = None) -> OneTimeCode:
    """Send a new code to `phone` (checked); raises ValidationError for a bad number or when
    the number or the address has asked too often."""
    now = now or timezone.now()
    phone = phone_checked(phone)
    try:
        throttle.hit(f"otp-send-phone-min:{phone}", 1, timedelta(seconds=60), now=now)
        throttle.hit(
            f"otp-send-phone-day:{phone}",
            settings.WANGGE_OTP_PER_PHONE_DAY,
            timedelta(days=1),
            now=now,
        )
        if ip:
            throttle.hit(
                f"otp-send-ip:{ip}",
                settings.WANGGE_OTP_PER_ADDRESS_HOUR,
                timedelta(hours=1),
                now=now,
            )
    except throttle.Throttled as error:
        raise _throttled(error) from None
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = settings.WANGGE_OTP_MINUTES
    row = OneTimeCode.objects.create(
        phone=phone,
        code_hash=_hash(phone, code),
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        ip=ip,
    )
    text = _(
        "Your wangge verification code is %(code)s, valid for %(minutes)d minutes. "
        "Do not tell it to anyone; staff will never ask for it."
    ) % {"code": code, "minutes": minutes}
    sms.send(phone, text)
    return row


def code_check(phone: str, code: str, *, ip: str | None = None, now: datetime | None = None) -> str:
    """Check a code for `phone`; returns the checked number, or raises ValidationError (wrong,
    expired, used up, or too many checks from this address). A right code is used up."""
    now = now or timezone.now()
    phone = phone_checked(phone)
    if ip:
        try:
            throttle.hit(
                f"otp-check-ip:{ip}",
                settings.WANGGE_OTP_CHECKS_PER_ADDRESS_HOUR,
                timedelta(hours=1),
                now=now,
            )
        except throttle.Throttled as error:
            raise _throttled(error) from None
    code = re.sub(r"\s", "", code or "")
    # The wrong try is counted in the transaction and the refusal raised after it, so that
    # the count is kept.
    refusal: str | None = None
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        allowed = settings.WANGGE_OTP_ATTEMPTS
        if row is None or row.expires_at <= now:
            refusal = _("The code has expired or was never sent; ask for a new one.")
        elif row.attempts >= allowed:
            refusal = _("Too many wrong codes; ask for a new one.")
        elif not hmac.compare_digest(row.code_hash, _hash(phone, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = allowed - row.attempts
            refusal = (
                _("The code is wrong; %(left)d tries left.") % {"left": left}
                if left > 0
                else _("Too many wrong codes; ask for a new one.")
            )
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if refusal is not None:
        raise ValidationError({"code": refusal})
    return phone
