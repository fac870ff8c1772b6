"""People's writes, one module per feature: assessment, attempt, feedback, figures, rescoring,
sharing. The web views and the API both call these."""
