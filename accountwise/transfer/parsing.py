"""Turn spreadsheet cells into text, money amounts and dates.

Cells come from CSV files as strings and from XLSX files as strings, numbers,
dates or None. Each parser raises InvalidValue with a message that names the
value and the fix; callers add the line and column.
"""

import datetime
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

# Largest amount a money column stores: 14 digits, 2 of them after the point.
MAX_MONEY = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES) - Decimal("0.01")

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
# ISO 4217 codes and the local abbreviations that spreadsheets put before or after amounts.
_CURRENCY_WORD = r"(?:[A-Z]{3}|kr|zł|Kč|Rs\.?|Fr\.?|R)"
_CURRENCY_CODE = re.compile(rf"^{_CURRENCY_WORD}(?=[\d.,(+\-\u2212])|(?<=[\d.,)]){_CURRENCY_WORD}$")
_NUMBER = re.compile(r"^[\d.,]*\d[\d.,]*$")
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_TIME_SUFFIX = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp][Mm])?$")
_MONTH_NAME_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%Y %b %d", "%Y %B %d")


class InvalidValue(ValueError):
    """A cell that cannot become the value its column needs; the message names the fix."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """Return a cell as text the way a spreadsheet shows it: 12.0 as 12, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def parse_money(value) -> Decimal:
    """Read an amount such as 1234.5, "1,234.56", "1.234,56", "$ 1 234" or "EUR 99"."""
    if isinstance(value, bool):
        raise InvalidValue(f'"{value}" is not an amount; write a number such as 1234.56')
    if isinstance(value, (int, float, Decimal)):
        return _checked_amount(_number_cell(value), cell_text(value))

    text = cell_text(value)
    digits = _strip_currency(_SPACES.sub("", text))
    negative = digits.startswith(("-", "\u2212")) or digits.endswith("-") or (
        digits.startswith("(") and digits.endswith(")")
    )
    if negative:
        raise InvalidValue(f'"{text}" is negative; amounts must be 0 or more')

    digits = digits.removeprefix("+")
    if not _NUMBER.match(digits):
        raise InvalidValue(f'"{text}" is not an amount; write a number such as 1234.56')
    return _checked_amount(_decimal_from_grouped(digits, text), text)


def parse_date(value, date_format: str | None = None) -> datetime.date:
    """Read a date: ISO dates and timestamps, unambiguous common forms, or date_format.

    A timestamp keeps the date as written, whatever its time zone.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise InvalidValue(f'"{cell_text(value)}" is a number, not a date; write dates as 2024-12-31')

    text = cell_text(value)
    if date_format:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            pass

    try:
        parsed = _parse_iso_date(text) or _parse_month_name_date(text) or _parse_numeric_date(text)
    except InvalidValue:
        if not date_format:
            raise
        parsed = None
    if parsed is not None:
        return parsed
    if date_format:
        raise InvalidValue(f'"{text}" does not match the date format {date_format}')
    raise InvalidValue(f'"{text}" is not a date; write dates as 2024-12-31 or set the date format')


def _number_cell(value) -> Decimal:
    if not isinstance(value, float):
        return Decimal(value)
    if not math.isfinite(value):
        raise InvalidValue(f'"{value}" is not an amount; write a number such as 1234.56')

    # repr gives the shortest text that round-trips, so 0.1 stays 0.1 and not 0.1000000000000000055.
    amount = Decimal(repr(value))
    cents = round(value, MONEY_DECIMAL_PLACES)
    # Spreadsheet formulas leave binary noise such as 0.30000000000000004; that is still 0.30.
    if abs(value - cents) <= 1e-9 * max(1.0, abs(value)):
        return Decimal(repr(cents))
    return amount


def _strip_currency(text: str) -> str:
    without_symbols = "".join(char for char in text if unicodedata.category(char) != "Sc")
    return _CURRENCY_CODE.sub("", without_symbols)


def _decimal_from_grouped(digits: str, text: str) -> Decimal:
    """Read digits with "," or "." as thousands or decimal separator.

    When both appear, the last one is the decimal separator. A lone "," before
    exactly three final digits is a thousands separator, so 1,234 reads as 1234.
    Any other lone "," is a decimal comma. A lone "." is always a decimal point.
    """
    commas, points = digits.count(","), digits.count(".")
    if commas and points:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif commas == 1 and not re.search(r",\d{3}$", digits):
        decimal_mark = ","
    elif points == 1:
        decimal_mark = "."
    else:
        decimal_mark = None

    whole, fraction = digits, ""
    if decimal_mark:
        whole, _, fraction = digits.rpartition(decimal_mark)
        if not whole:
            whole = "0"
    if not _valid_grouping(whole) or (fraction and not fraction.isdigit()):
        raise InvalidValue(f'"{text}" is not an amount; write a number such as 1234.56')

    try:
        return Decimal(re.sub(r"[.,]", "", whole) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise InvalidValue(f'"{text}" is not an amount; write a number such as 1234.56') from None


def _valid_grouping(whole: str) -> bool:
    groups = re.split(r"[.,]", whole)
    if len(groups) == 1:
        return whole.isdigit()
    if len({separator for separator in whole if separator in ".,"}) > 1:
        return False
    head, *rest = groups
    return 1 <= len(head) <= 3 and head.isdigit() and all(
        len(group) == 3 and group.isdigit() for group in rest
    )


def _checked_amount(amount: Decimal, text: str) -> Decimal:
    if amount < 0:
        raise InvalidValue(f'"{text}" is negative; amounts must be 0 or more')
    if amount > MAX_MONEY:
        raise InvalidValue(f'"{text}" is too large; the largest amount is {MAX_MONEY:,}')
    cents = amount.quantize(Decimal("0.01"))
    if amount != cents:
        raise InvalidValue(f'"{text}" has more than {MONEY_DECIMAL_PLACES} decimal places')
    return cents


def _parse_iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _parse_month_name_date(text: str) -> datetime.date | None:
    """Read forms such as "22 Dec 2020", "December 22, 2020" and "22-Dec-2020"."""
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    words = " ".join(re.sub(r"[,.\-/]", " ", text).split())
    for date_format in _MONTH_NAME_FORMATS:
        try:
            return datetime.datetime.strptime(words, date_format).date()
        except ValueError:
            continue
    return None


def _parse_numeric_date(text: str) -> datetime.date | None:
    """Read 2020/12/22, 22/12/2020 or 12/22/2020 when the day is the only possible reading.

    A time after the date (12/22/2020 10:30 PM) is dropped. Raise InvalidValue
    for day-month orders that could be read both ways, such as 03/04/2020.
    """
    date_part, _, time_part = text.partition(" ")
    if time_part and not _TIME_SUFFIX.match(time_part.strip()):
        return None
    match = _NUMERIC_DATE.match(date_part)
    if match is None:
        return None

    first, second, third = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    elif len(third) == 4:
        year = int(third)
        day, month = _day_and_month(int(first), int(second), text)
    else:
        raise InvalidValue(f'"{text}" has no four-digit year; set the date format, for example %d/%m/%y')

    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InvalidValue(f'"{text}" is not a valid date') from None


def _day_and_month(first: int, second: int, text: str) -> tuple[int, int]:
    if first == second or second > 12 >= first:
        return second, first
    if first > 12 >= second:
        return first, second
    if first > 12 and second > 12:
        raise InvalidValue(f'"{text}" is not a valid date')
    raise InvalidValue(
        f'"{text}" could be day/month or month/day; set the date format, '
        "for example %d/%m/%Y or %m/%d/%Y"
    )
