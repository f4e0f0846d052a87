from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    label = "accounts"

    def ready(self) -> None:
        from wangge.accounts import checks  # noqa: F401  (registers the system checks)
