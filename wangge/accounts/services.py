"""Writes for sign-in policy: failures and lockout, unlocking, passwords, the second factor."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts import totp
from wangge.accounts.models import SignInFailure, User
from wangge.accounts.selectors import totp_required
from wangge.audit.services import record


def lockout_window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.WANGGE_LOCKOUT_MINUTES)


def signin_failure_record(*, username: str, address: str | None) -> None:
    SignInFailure.objects.create(username=username[:150], address=address, at=timezone.now())


def signin_lock_reason(*, username: str, address: str | None) -> str | None:
    """'account' or 'address' when too many recent failures lock this sign-in, else None."""
    recent = SignInFailure.objects.filter(at__gte=lockout_window_start())
    if recent.filter(username=username).count() >= settings.WANGGE_LOCKOUT_ACCOUNT_FAILURES:
        return "account"
    limit = settings.WANGGE_LOCKOUT_ADDRESS_FAILURES
    if address and recent.filter(address=address).count() >= limit:
        return "address"
    return None


def signin_locked_record(*, username: str, reason: str, request: HttpRequest | None) -> None:
    """A sign-in refused by a lockout never reaches Django's failure signal: log it here."""
    details = {"username": username[:150], "reason": reason}
    record(actor=None, action="auth.login_locked", details=details, request=request)


def signin_succeeded(*, username: str) -> None:
    """A correct password clears the account's failure count (not the address's)."""
    SignInFailure.objects.filter(username=username).delete()


def signin_unlock(
    *, actor: User | None, username: str | None = None, address: str | None = None
) -> int:
    """An administrator lifts a lockout before it expires."""
    if not username and not address:
        raise ValueError("name a user name or an address to unlock")
    condition = Q(pk__in=[])
    if username:
        condition |= Q(username=username)
    if address:
        condition |= Q(address=address)
    with transaction.atomic():
        deleted, _ = SignInFailure.objects.filter(condition).delete()
        details = {"username": username or "", "address": address or "", "cleared": deleted}
        record(actor=actor, action="auth.unlocked", details=details)
    return deleted


def password_set_by_administrator(*, actor: User | None, user: User, password: str) -> None:
    """The person must choose their own password at the next sign-in."""
    user.set_password(password)
    user.must_change_password = not user.is_demo
    user.save(update_fields=["password", "must_change_password"])


def password_changed_by_owner(*, user: User, request: HttpRequest | None = None) -> None:
    """Django's form has saved the new password; clear the forced change and record it."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        record(actor=user, action="auth.password_changed", target=user, request=request)


def totp_enrol(*, user: User, secret: str, code: str, request: HttpRequest | None = None) -> None:
    """The person proves their app holds the secret by typing its current code. A second
    confirmation (another tab, a double click) finds the first one and is refused."""
    step = totp.matching_step(secret, code, timezone.now().timestamp())
    if step is None:
        raise ValidationError(totp_wrong_code_message(), code="totp_wrong")
    values = {"totp_secret": secret, "totp_confirmed_at": timezone.now(), "totp_last_step": step}
    with transaction.atomic():
        not_yet = User.objects.filter(pk=user.pk, totp_confirmed_at__isnull=True)
        if not not_yet.update(**values):
            raise ValidationError(
                _("You have already set up an authenticator app."), code="enrolled"
            )
        record(actor=user, action="auth.totp_enrolled", target=user, request=request)
    for field, value in values.items():
        setattr(user, field, value)


def totp_code_accept(*, user: User, code: str) -> bool:
    """True for a current code of a later time step than the last one accepted. That step
    becomes the last, in one conditional UPDATE, so a code works once even for two requests
    arriving together."""
    if not user.totp_confirmed_at:
        return False
    step = totp.matching_step(user.totp_secret, code, timezone.now().timestamp())
    if step is None:
        return False
    later = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    accepted = User.objects.filter(later, pk=user.pk).update(totp_last_step=step)
    if accepted:
        user.totp_last_step = step
    return accepted == 1


def totp_code_refused(*, user: User, address: str | None, request: HttpRequest | None) -> None:
    """A wrong second-step code counts toward the same lockout as a wrong password."""
    with transaction.atomic():
        signin_failure_record(username=user.username, address=address)
        details = {"username": user.username}
        record(actor=None, action="auth.totp_failed", target=user, details=details, request=request)


def totp_disable(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """The owner turns the second factor off, confirming with a current code; not allowed to
    those who must have it."""
    if totp_required(user):
        raise ValidationError(
            _("Your role requires a second factor, so it cannot be turned off."), code="required"
        )
    if not totp_code_accept(user=user, code=code):
        raise ValidationError(totp_wrong_code_message(), code="totp_wrong")
    with transaction.atomic():
        totp_clear(user)
        record(actor=user, action="auth.totp_disabled", target=user, request=request)


def totp_reset(*, actor: User | None, user: User, request: HttpRequest | None = None) -> bool:
    """An administrator removes a lost authenticator; a person who must have one sets up a new
    one at the next sign-in. False when there was none to remove."""
    if not user.totp_confirmed_at and not user.totp_secret:
        return False
    with transaction.atomic():
        totp_clear(user)
        record(actor=actor, action="auth.totp_reset", target=user, request=request)
    return True


def totp_clear(user: User) -> None:
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])


def totp_wrong_code_message() -> str:
    return _("The code is wrong or has expired. Please enter the current code from your app.")
