"""Fixtures of the catalog and labour-figure tests."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories

# The federal wage and outlook figures as shipped (a BLS release, `make labour-figures`).
LABOUR_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "us-labour-market.csv"


@pytest.fixture
def proxies(site_content):
    """The default world's roles with the CSV's occupations as their proxies, no figures."""
    return factories.labour_proxies_create()


@pytest.fixture
def figures(site_content, proxies):
    """The default world with the shipped CSV imported, as an editor would."""
    call_command(
        "import_labour_figures", str(LABOUR_CSV), "--retrieved-on", "2026-12-02", stdout=None
    )
    return site_content
