from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wangge.accounts import services

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
            raise forms.ValidationError(LOCK_MESSAGES[reason], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.signin_failure_record(username=username, address=address)
            raise
        services.signin_succeeded(username=username)
        return cleaned
