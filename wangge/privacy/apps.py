from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "wangge.privacy"
    label = "privacy"
    verbose_name = _("privacy")

    def ready(self) -> None:
        # Staff records are the first kind that can be shown in full; other apps register
        # their own kinds in their ready().
        from wangge.privacy import staff, targets

        targets.register(staff.STAFF)
