from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "wangge.mediation"
    label = "mediation"
    verbose_name = _("Disputes and mediation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wangge.cases.models import EVENT_LABELS

        EVENT_LABELS.update(
            {
                "mediation_session": _("Mediation session"),
                "mediation_agreement": _("Mediation agreement signed"),
                "agreement_scan": _("Signed agreement attached"),
                "confirmation_applied": _("Judicial confirmation applied for"),
                "confirmation_ruled": _("Court ruled on the confirmation"),
                "transfer_offered": _("Offered to another mediation body"),
                "transfer_refused": _("Transfer refused"),
                "follow_up": _("Follow-up visit"),
            }
        )
