"""System checks of the audit settings."""

from django.conf import settings
from django.core.checks import Error, register

from wangge.audit.archives import MINIMUM_RETENTION_DAYS


@register()
def retention_check(app_configs: object = None, **kwargs: object) -> list[Error]:
    days = settings.WANGGE_AUDIT_RETENTION_DAYS
    if days == 0 or days >= MINIMUM_RETENTION_DAYS:
        return []
    return [
        Error(
            f"WANGGE_AUDIT_RETENTION_DAYS is {days}: network logs must be kept for at least "
            f"{MINIMUM_RETENTION_DAYS} days (Cybersecurity Law of the PRC, article 21).",
            hint=f"Set it to {MINIMUM_RETENTION_DAYS} or more, or leave it empty to keep "
            "entries in the database forever.",
            id="audit.E001",
        )
    ]
