from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "careerguide.content"
    label = "content"
    verbose_name = "Content loading"
