"""The assessment's pages, one module per feature: attempt (taking it), assessment (the
result page), feedback, figures (the methodology), rescoring, sharing."""
