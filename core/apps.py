from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import caching, security

        # The two places where core reacts to events it does not send.
        caching.watch_catalog_models()
        user_logged_in.connect(security.log_login, dispatch_uid="core-log-login")
        user_login_failed.connect(security.log_failed_login, dispatch_uid="core-log-failed-login")
