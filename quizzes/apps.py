from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes and assessments"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login receiver)
