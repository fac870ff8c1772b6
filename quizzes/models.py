"""Quizzes and assessments: arrive with the assessment (issue 3)."""
