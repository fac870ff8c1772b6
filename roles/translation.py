"""The catalog's texts that are written in every language (django-modeltranslation).

Each field listed here gets a column per language (`summary_en`, `summary_es`); reading
`tool.summary` gives the active language's text, or the English one while the Spanish is
empty. Names of tools and figures cited from a source stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    Role,
    RoleProxy,
    Tool,
    ToolCategory,
)


@register(Role)
class RoleTranslation(TranslationOptions):
    fields = ("name", "tagline", "summary")


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(FocusPoint)
class FocusPointTranslation(TranslationOptions):
    fields = ("title", "text")


@register(ToolCategory)
class ToolCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Tool)
class ToolTranslation(TranslationOptions):
    fields = ("summary", "usage", "milestones")


@register(CareerAspect)
class CareerAspectTranslation(TranslationOptions):
    fields = ("name",)


@register(AspectText)
class AspectTextTranslation(TranslationOptions):
    fields = ("text",)


@register(RoleProxy)
class RoleProxyTranslation(TranslationOptions):
    fields = ("note",)
