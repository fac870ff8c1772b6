from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes and assessments"

    def ready(self):
        from core.caching import watch_for_catalog_changes

        from . import models, signals  # noqa: F401  (signals connects the login receiver)

        watch_for_catalog_changes(
            models.QuizVersion, models.Question, models.Choice, models.ChoiceWeight
        )
