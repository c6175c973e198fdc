"""Money amounts: Decimal with two places, shown in the organisation's currency."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency

MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2
_CENT = Decimal("0.01")


def quantize_money(amount) -> Decimal:
    """Round an amount to cents, half up, as accountants expect."""
    return Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=None)
def _locale(name: str) -> Locale:
    # Babel parses a locale name on every call it gets one; a list page formats hundreds of amounts.
    return Locale.parse(name)


def format_money(amount, currency: str, locale: str = "en_US") -> str:
    if amount is None:
        return "—"
    return format_currency(quantize_money(amount), currency, locale=_locale(locale))


def format_money_short(amount, currency: str, locale: str = "en_US") -> str:
    """Format an amount without cents, for totals in headers and charts."""
    if amount is None:
        return "—"
    return format_currency(
        quantize_money(amount), currency, locale=_locale(locale), format="¤#,##0", currency_digits=False
    )
