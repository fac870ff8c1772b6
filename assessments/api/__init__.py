"""The assessment API, one module per feature: assessment (the questions, submitting, your
history), feedback, figures (where a result stands, the methodology), rescoring, sharing."""
