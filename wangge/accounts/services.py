"""Writes for sign-in policy: failures and lockout, unlocking, passwords."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangge.accounts.models import SignInFailure, User


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
    return deleted


def password_set_by_administrator(*, actor: User | None, user: User, password: str) -> None:
    """The person must choose their own password at the next sign-in."""
    user.set_password(password)
    user.must_change_password = not user.is_demo
    user.save(update_fields=["password", "must_change_password"])


def password_changed_by_owner(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
