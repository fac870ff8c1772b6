from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "careerguide.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
