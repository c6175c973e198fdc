"""Columns of exported lists: a header, how to read the value from a row, and a cell type."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ColumnType(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    # A fraction: 0.6 is written as 60 %.
    PERCENT = "percent"
    INTEGER = "integer"


# Column widths in characters of the default font, for columns that set none.
DEFAULT_WIDTHS = {
    ColumnType.TEXT: 24,
    ColumnType.MONEY: 16,
    ColumnType.DATE: 12,
    ColumnType.PERCENT: 12,
    ColumnType.INTEGER: 12,
}

# Spreadsheets run text that starts with one of these as a formula. Some also drop
# a leading tab or carriage return on import, which can expose a formula behind it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an exported list.

    The accessor is a dotted attribute path from the row, such as "owner.username",
    or a function of the row. A path through a missing link reads as None, which
    is written as an empty cell.
    """

    header: str
    accessor: str | Callable[[Any], Any]
    type: ColumnType = ColumnType.TEXT
    width: int | None = None

    def read(self, row) -> Any:
        if callable(self.accessor):
            return self.accessor(row)

        value = row
        for name in self.accessor.split("."):
            value = getattr(value, name)
            if value is None:
                return None
        return value

    @property
    def display_width(self) -> int:
        return max(self.width or DEFAULT_WIDTHS[self.type], len(self.header) + 2)


def neutralise_formula(text: str) -> str:
    """Prefix a single quote to text that a spreadsheet would run as a formula, so it shows as typed.

    Text whose leading quotes already stand before a formula trigger gets one
    more quote, so that restore_formula() returns every text exactly.
    """
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_TRIGGERS) else text


def restore_formula(text: str) -> str:
    """Remove the quote that neutralise_formula() put before a formula trigger.

    The import reads CSV cells through this, so a file exported from
    Accountwise, or typed as '+44 20 in a spreadsheet, imports as written.
    """
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text
