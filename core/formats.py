"""Numbers and money written the way the active language writes them: the one rule for every
page, chart and API text that shows an amount.

The thousands separator comes from the language's number format (careerguide/formats/), the
order of amount and currency from MONEY_PATTERNS below. English keeps the site's first forms
("USD 125,000", "$125,000", "$125k"); Spanish puts the amount first ("125.000 USD"). A language
with no patterns of its own writes money as English does, with its own separator.
"""

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation

CODE = "code"  # "USD 125,000": a figure on its own, the currency named by its ISO code
SYMBOL = "symbol"  # "$125,000": in a sentence, a table or a chart label
SHORT = "short"  # "$125k": an axis tick, beside labels that name the currency in full

# Per language: how an amount is written in each style. {amount} is the grouped number,
# {thousands} the grouped number of thousands (SHORT, for whole thousands only), {currency}
# the ISO code, {symbol} the currency's symbol (styles that use it fall back to CODE when the
# currency has none in SYMBOLS).
MONEY_PATTERNS = {
    "en": {
        CODE: "{currency} {amount}",
        SYMBOL: "{symbol}{amount}",
        SHORT: "{symbol}{thousands}k",
    },
    # "$" alone is a peso in much of Latin America: Spanish names the dollar by its code.
    "es": {
        CODE: "{amount} {currency}",
        SYMBOL: "{amount} {currency}",
        SHORT: "{thousands} mil",
    },
}
SYMBOLS = {"USD": "$"}


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def number(value: int) -> str:
    """A whole number grouped by thousands as the active language writes it: 125,000 in
    English, 125.000 in Spanish."""
    return formats.number_format(value, force_grouping=True)


def money(amount: int, currency: str = "USD", *, style: str = CODE) -> str:
    """`amount` of `currency` in the active language, in `style` (CODE, SYMBOL or SHORT)."""
    patterns = MONEY_PATTERNS.get(_language(), MONEY_PATTERNS["en"])
    symbol = SYMBOLS.get(currency, "")
    if style == SHORT and not (amount and amount % 1000 == 0):
        style = SYMBOL
    if style != CODE and "{symbol}" in patterns[style] and not symbol:
        style = CODE
    return patterns[style].format(
        amount=number(amount),
        thousands=number(amount // 1000),
        currency=currency,
        symbol=symbol,
    )


# How a percentage is written: Spanish puts a (no-break) space before the sign.
PERCENT_PATTERNS = {"en": "{value}%", "es": "{value}\u00a0%"}


def percent(value: int) -> str:
    """A whole percentage as the active language writes it: 49% in English, 49 % in Spanish
    (the space a no-break one, so the sign never starts a line)."""
    return PERCENT_PATTERNS.get(_language(), PERCENT_PATTERNS["en"]).format(value=value)


# A day on a chart's axis, short: "5 Dec" in English, "5 dic" in Spanish (lower case).
DAY_MONTH_PATTERNS = {"en": "j M", "es": "j b"}


def day_month(value) -> str:
    """A date (or a datetime, in the current time zone) as a chart's axis names it."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return dateformat.format(value, DAY_MONTH_PATTERNS.get(_language(), "j M"))
