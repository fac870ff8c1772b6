# The site's Spanish formats (settings.FORMAT_MODULE_PATH); Django's own fill the rest.
# Django's Spanish uses a no-break space between thousands; we write "125.000", as the
# Spanish-speaking countries we write for mostly do.
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
# Spanish abbreviates months in lower case ("5 dic 2026"): "b", not Django's capitalised "M".
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
