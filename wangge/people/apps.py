from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """The resident register: people, households, houses, organisations (实有人口、实有房屋、
    单位), each kept in the grid it belongs to, with its history of changes."""

    name = "wangge.people"
    verbose_name = _("Resident register")

    def ready(self) -> None:
        from wangge.people import privacy  # noqa: F401  (registers the person kind)
