from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "careerguide.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from core import security  # noqa: F401  (connects the log-in loggers)
