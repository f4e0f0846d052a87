from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.utils.translation import gettext_lazy as _

from wangge.accounts import services, totp
from wangge.accounts.models import User

LOCK_MESSAGES = {
    "account": _(
        "This account is locked for a while after repeated failed sign-ins. "
        "Please wait, or ask an administrator to unlock it."
    ),
    "address": _(
        "Sign-in from this address is locked for a while after repeated failures. "
        "Please wait, or ask an administrator."
    ),
}


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with lockout per account and per address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is wrong. Please try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        reason = services.signin_lock_reason(username=username, address=address)
        if reason:
            services.signin_locked_record(username=username, reason=reason, request=self.request)
            raise forms.ValidationError(LOCK_MESSAGES[reason], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.signin_failure_record(username=username, address=address)
            raise
        # With a second factor the count is cleared only after the code, so that knowing the
        # password does not buy a fresh set of guesses at the code.
        if not self.get_user().totp_confirmed_at:
            services.signin_succeeded(username=username)
        return cleaned


class CodeForm(forms.Form):
    """The six digits an authenticator app shows; spaces typed in the middle are ignored."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not (len(code) == totp.DIGITS and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Enter the 6 digits your app shows."), code="format")
        return code


# How long a key shown on the setup page may still be confirmed.
OFFER_MAX_AGE_SECONDS = 60 * 60


class SetupForm(CodeForm):
    """The code, and the key it was shown with. The key travels signed in the page rather than
    in the session: another tab's request saving the session cannot swap it underneath."""

    offer = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_offer(self) -> str:
        """The key, from its signed form; signed per person, so no one can bring their own."""
        try:
            return str(
                offer_signer(self.user).unsign(self.cleaned_data["offer"], OFFER_MAX_AGE_SECONDS)
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This page was open too long. Please scan the new key below."), code="stale"
            ) from None

    def offered_secret(self) -> str | None:
        return self.cleaned_data.get("offer") if hasattr(self, "cleaned_data") else None


def offer_signer(user: User) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"wangge.accounts.totp-offer.{user.pk}")


def offer_for(user: User, secret: str) -> str:
    return offer_signer(user).sign(secret)
