"""Money and numbers as each language writes them (core.formats and its template filters)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formats


def test_english_keeps_the_sites_forms():
    with translation.override("en"):
        assert formats.number(125000) == "125,000"
        assert formats.money(125000, "USD") == "USD 125,000"
        assert formats.money(125000, "USD", style=formats.SYMBOL) == "$125,000"
        assert formats.money(125000, "USD", style=formats.SHORT) == "$125k"


def test_spanish_writes_the_amount_first_with_dots_between_thousands():
    with translation.override("es"):
        assert formats.number(125000) == "125.000"
        assert formats.money(125000, "USD") == "125.000 USD"
        assert formats.money(125000, "USD", style=formats.SYMBOL) == "125.000 USD"
        assert formats.money(125000, "USD", style=formats.SHORT) == "125 mil"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,500"), ("es", "1.500 USD")],
)
def test_a_short_form_needs_whole_thousands(language, expected):
    with translation.override(language):
        assert formats.money(1500, "USD", style=formats.SHORT) == expected


def test_a_currency_without_a_symbol_is_named_by_its_code():
    with translation.override("en"):
        assert formats.money(90000, "EUR", style=formats.SYMBOL) == "EUR 90,000"
        assert formats.money(90000, "EUR", style=formats.SHORT) == "EUR 90,000"
    with translation.override("es"):
        assert formats.money(90000, "EUR", style=formats.SYMBOL) == "90.000 EUR"


def test_millions_are_grouped_too():
    with translation.override("en"):
        assert formats.money(1250000, "USD") == "USD 1,250,000"
    with translation.override("es"):
        assert formats.money(1250000, "USD") == "1.250.000 USD"


def test_a_language_of_a_country_follows_its_language():
    with translation.override("es-mx"):
        assert formats.money(125000, "USD").endswith(" USD")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "USD 125,000 | $125,000 | "), ("es", "125.000 USD | 125.000 USD | ")],
)
def test_the_template_filters(language, expected):
    template = Template(
        "{% load formats %}{{ amount|money:currency }} | {{ amount|money_symbol:'USD' }} | "
        "{{ missing|money }}"
    )
    with translation.override(language):
        assert template.render(Context({"amount": 125000, "currency": "USD"})) == expected
