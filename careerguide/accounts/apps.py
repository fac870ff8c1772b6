from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "careerguide.accounts"
    label = "accounts"
    verbose_name = "Accounts"
