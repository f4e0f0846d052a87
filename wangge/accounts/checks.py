"""System checks for the sign-in settings."""

from django.conf import settings
from django.core.checks import Error, register

from wangge.accounts.models import Role


@register()
def totp_required_roles_check(app_configs: object = None, **kwargs: object) -> list[Error]:
    """A misspelt role would silently let its holders sign in without a second factor."""
    unknown = sorted(set(settings.WANGGE_TOTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"WANGGE_TOTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use role values from: {', '.join(Role.values)}.",
            id="accounts.E001",
        )
    ]
