from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wangge.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(seed_after_migrate, sender=self)


def seed_after_migrate(**kwargs: object) -> None:
    """Categories and calendar years that are missing are created after every migrate;
    what a district changed is kept."""
    from django.utils import timezone

    from wangge.cases import calendar, categories
    from wangge.cases.models import CalendarYear

    categories.seed()
    year = timezone.now().year
    missing = [y for y in (year, year + 1) if not CalendarYear.objects.filter(year=y).exists()]
    if missing:
        calendar.seed_years(missing)
