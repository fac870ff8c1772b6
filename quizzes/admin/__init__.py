"""Editors' screens for the quiz: the quiz and its versions with the weight grid
(versions.py), questions and choices (questions.py), and what they share (common.py).
Imported here so the admin's autodiscovery registers them."""

from . import questions, versions

__all__ = ["questions", "versions"]
