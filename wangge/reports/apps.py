from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wangge.reports"
    label = "reports"
    verbose_name = _("Periodic reports and early warning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wangge.cases.notify import OTHER_KIND_LABELS
        from wangge.reports.special import KIND_LABELS

        OTHER_KIND_LABELS.update(KIND_LABELS)
        OTHER_KIND_LABELS["early_warning"] = _("Early warning")
