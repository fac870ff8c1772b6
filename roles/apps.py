from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Roles and tools"

    def ready(self):
        from core.caching import watch_for_catalog_changes

        from . import models

        watch_for_catalog_changes(
            models.Role,
            models.FocusArea,
            models.FocusPoint,
            models.ToolCategory,
            models.Tool,
            models.SalaryFigure,
            models.CareerAspect,
            models.AspectText,
        )
