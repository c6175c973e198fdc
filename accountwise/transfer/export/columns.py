"""Columns of exported lists: a header, the fetched values a cell is built from, and a cell type."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter
from typing import Any


class ColumnType(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    # A fraction: 0.6 is written as 60 %.
    PERCENT = "percent"
    INTEGER = "integer"
    # A decimal number shown as stored, such as a custom field's 12.5.
    NUMBER = "number"


# Column widths in characters of the default font, for columns that set none.
DEFAULT_WIDTHS = {
    ColumnType.TEXT: 24,
    ColumnType.MONEY: 16,
    ColumnType.DATE: 12,
    ColumnType.PERCENT: 12,
    ColumnType.INTEGER: 12,
    ColumnType.NUMBER: 14,
}

# Spreadsheets run text that starts with one of these as a formula. Some also drop
# a leading tab or carriage return on import, which can expose a formula behind it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The first characters of text that neutralise_formula() may change; most text is left alone after one look.
_QUOTE_OR_TRIGGER = frozenset(["'", *FORMULA_TRIGGERS])


@dataclass(frozen=True)
class Column:
    """One column of an exported list.

    The source names what the column reads from each row of the list's
    queryset: a field lookup such as "account__name", or an annotation that
    the list's rows function adds. A tuple names several sources. The export
    fetches the rows as plain values with values_list(), never as model
    instances. Without convert, the cell is the value of the single source.
    With convert, the cell is convert(*values), in the order of the sources,
    and convert must accept None for a missing related object or field value.
    """

    header: str
    source: str | tuple[str, ...]
    type: ColumnType = ColumnType.TEXT
    width: int | None = None
    convert: Callable[..., Any] | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    @property
    def display_width(self) -> int:
        return max(self.width or DEFAULT_WIDTHS[self.type], len(self.header) + 2)


def custom_field_column(
    header: str,
    key: str,
    column_type: ColumnType = ColumnType.TEXT,
    *,
    source: str = "custom_fields",
    convert: Callable[[Any], Any] | None = None,
    width: int | None = None,
) -> Column:
    """Return a column that shows one custom field, by its key, from a record's custom-field values.

    Every such column reads the same JSON source, which the export fetches and
    decodes once per row, so ten custom-field columns cost one JSON value per row.
    convert turns a stored value into the cell's value, for example an ISO date
    string into a date. A missing or empty value reads as None without it. The source
    "account__custom_fields" reads the custom fields of the row's account.
    """

    def read(values: dict | None) -> Any:
        value = values.get(key) if values else None
        if value is None or value == "":
            return None
        return value if convert is None else convert(value)

    return Column(header, source, column_type, width, read)


def row_reader(columns: tuple[Column, ...]) -> tuple[list[str], Callable[[tuple], list]]:
    """Plan how to fetch and read the columns: the distinct sources to fetch, in order, and a reader.

    The reader turns one fetched tuple into the row's cell values. Each source is
    fetched once even when several columns read it, and each cell costs one
    tuple lookup plus its column's convert, if any.
    """
    sources: list[str] = []
    for column in columns:
        sources.extend(source for source in column.sources if source not in sources)

    cell_readers = [_cell_reader(column, [sources.index(source) for source in column.sources]) for column in columns]

    def read(values: tuple) -> list:
        return [read_cell(values) for read_cell in cell_readers]

    return sources, read


def _cell_reader(column: Column, positions: list[int]) -> Callable[[tuple], Any]:
    convert = column.convert
    if convert is None:
        if len(positions) != 1:
            raise ValueError(f"Column {column.header!r} reads {len(positions)} sources; give it a convert function.")
        return itemgetter(positions[0])
    if len(positions) == 1:
        position = positions[0]
        return lambda values: convert(values[position])
    pick = itemgetter(*positions)
    return lambda values: convert(*pick(values))


def neutralise_formula(text: str) -> str:
    """Prefix a single quote to text that a spreadsheet would run as a formula, so it shows as typed.

    Text whose leading quotes already stand before a formula trigger gets one
    more quote, so that restore_formula() returns every text exactly.
    """
    if not text or text[0] not in _QUOTE_OR_TRIGGER:
        return text
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_TRIGGERS) else text


def restore_formula(text: str) -> str:
    """Remove the quote that neutralise_formula() put before a formula trigger.

    The import reads CSV cells through this, so a file exported from
    Accountwise, or typed as '+44 20 in a spreadsheet, imports as written.
    """
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text
