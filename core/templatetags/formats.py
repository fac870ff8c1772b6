"""Money in templates, written by core.formats' one rule:
`{% load formats %}{{ figure.amount|money:figure.currency }}` gives "USD 125,000" in English,
"125.000 USD" in Spanish; `{{ value|money_symbol:"USD" }}` gives "$125,000" / "125.000 USD"."""

from django import template

from core import formats

register = template.Library()


@register.filter
def money(amount, currency="USD"):
    """The amount with its currency's code, as the active language writes it."""
    if amount is None or amount == "":
        return ""
    return formats.money(int(amount), str(currency), style=formats.CODE)


@register.filter
def money_symbol(amount, currency="USD"):
    """The amount with its currency's symbol where the active language uses one."""
    if amount is None or amount == "":
        return ""
    return formats.money(int(amount), str(currency), style=formats.SYMBOL)


@register.filter
def percent(value):
    """A whole percentage as the active language writes it: "49%", in Spanish "49 %"."""
    if value is None or value == "":
        return ""
    return formats.percent(int(value))
