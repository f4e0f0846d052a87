from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wangge.core"
    label = "core"

    def ready(self) -> None:
        from wangge.core import checks  # noqa: F401  (registers the system checks)
