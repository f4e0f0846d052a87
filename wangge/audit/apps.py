from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "wangge.audit"
    label = "audit"
    verbose_name = _("audit log")

    def ready(self) -> None:
        from django.contrib.auth import signals

        from wangge.audit import checks, receivers  # noqa: F401  (checks registers itself)

        signals.user_logged_in.connect(receivers.signed_in, dispatch_uid="audit.signed_in")
        signals.user_logged_out.connect(receivers.signed_out, dispatch_uid="audit.signed_out")
        signals.user_login_failed.connect(
            receivers.sign_in_failed, dispatch_uid="audit.sign_in_failed"
        )
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        post_save.connect(receivers.admin_logged, sender=LogEntry, dispatch_uid="audit.admin")
