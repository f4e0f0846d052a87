"""System checks that refuse an unsafe production configuration."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def production_settings_check(app_configs: object = None, **kwargs: object) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if getattr(settings, "SECRET_KEY_IS_DEVELOPMENT", False):
        errors.append(
            Error(
                "DEBUG is off but SECRET_KEY is the generated development key.",
                hint="Set WANGGE_SECRET_KEY to a long random value kept out of the data directory.",
                id="wangge.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "DEBUG is off but ALLOWED_HOSTS is empty.",
                hint="Set WANGGE_ALLOWED_HOSTS to the host names the platform is served under.",
                id="wangge.E002",
            )
        )
    return errors
