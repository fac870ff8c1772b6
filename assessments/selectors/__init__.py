"""Reads of people's data, one module per feature: assessment, figures, rescoring, sharing."""
