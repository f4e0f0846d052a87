from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wangge.portal"
    label = "portal"
    verbose_name = _("Residents' portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wangge.cases import notify
        from wangge.portal.services_requests import case_event_text

        # Texts the resident of a portal request when it is closed, reopened or cancelled.
        if case_event_text not in notify.CASE_EVENT_LISTENERS:
            notify.CASE_EVENT_LISTENERS.append(case_event_text)
