from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Administration of the people who work the platform: accounts, posts, grid
    assignments, departments. It owns no models: it writes those of `accounts` and `regions`
    through its services, for the district office's pages."""

    name = "wangge.staff"
    verbose_name = _("Staff administration")
