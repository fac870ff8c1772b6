"""Editors' screens for the roles app: the catalog (catalog.py: roles with their focus areas,
salaries and proxy occupations, tools, aspects) and the federal labour-market figures
(labour.py: sources, occupations with their wages, outlooks). Imported here so the admin's
autodiscovery registers them."""

from . import catalog, labour

__all__ = ["catalog", "labour"]
