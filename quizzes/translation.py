"""The quiz's texts that are written in every language (django-modeltranslation).

A translated question is the same question: same key, same choices, same weights. Only these
texts have a column per language; reading `question.text` gives the active language's text,
or the English one while the Spanish is empty.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Quiz


@register(Quiz)
class QuizTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)
