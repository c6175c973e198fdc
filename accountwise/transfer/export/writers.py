"""Write an export as CSV or XLSX, reading its rows once, in chunks, with flat memory use.

CSV: UTF-8 with a byte order mark (so Excel detects the encoding), commas,
a header row, ISO dates, plain decimal amounts and percentages as fractions
(0.6 for 60 %). XLSX: typed cells with the organisation's currency, date and
percent formats, a bold frozen header and an auto-filter. In both, text that
a spreadsheet would run as a formula stays text.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any

import xlsxwriter
from babel.numbers import get_currency_precision, get_currency_symbol
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from accountwise.lib.money import quantize_money
from accountwise.transfer.export.columns import ColumnType, neutralise_formula
from accountwise.transfer.export.lists import Export

CSV = "csv"
XLSX = "xlsx"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Rows per chunk of CSV output: a streamed download starts after the first chunk.
CSV_ROWS_PER_CHUNK = 500
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
INTEGER_FORMAT = "#,##0"
NUMBER_FORMAT = "General"


def csv_chunks(export: Export) -> Iterator[bytes]:
    """Yield the CSV file in pieces: the byte order mark and header, then blocks of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export.definition.headers)
    yield codecs.BOM_UTF8 + _take(buffer)

    formatters = [_CSV_FORMATTERS[column.type] for column in export.definition.columns]
    for record in export.records():
        writer.writerow([format_cell(value) for format_cell, value in zip(formatters, record)])
        if export.row_count % CSV_ROWS_PER_CHUNK == 0:
            yield _take(buffer)
    if rest := _take(buffer):
        yield rest


def write_csv(export: Export, file: IO[bytes]) -> int:
    """Write the CSV file to a binary file and return the number of rows written."""
    for chunk in csv_chunks(export):
        file.write(chunk)
    return export.row_count


def _take(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def _csv_text(value: Any) -> str:
    return "" if value is None else neutralise_formula(str(value))


def _csv_money(value: Any) -> str:
    return "" if value is None else str(quantize_money(value))


def _csv_date(value: Any) -> str:
    return "" if value is None else value.isoformat()


@lru_cache(maxsize=256)
def _csv_percent(fraction: Any) -> str:
    # A plain fraction, because LibreOffice's CSV import reads "60%" as text by default.
    return "" if fraction is None else format(Decimal(str(fraction)).normalize(), "f")


def _csv_integer(value: Any) -> str:
    return "" if value is None else str(int(value))


def _csv_number(value: Any) -> str:
    return "" if value is None else format(Decimal(str(value)), "f")


# The CSV text of each column type's values. None, a missing value, becomes an empty cell.
_CSV_FORMATTERS: dict[ColumnType, Callable[[Any], str]] = {
    ColumnType.TEXT: _csv_text,
    ColumnType.MONEY: _csv_money,
    ColumnType.DATE: _csv_date,
    ColumnType.PERCENT: _csv_percent,
    ColumnType.INTEGER: _csv_integer,
    ColumnType.NUMBER: _csv_number,
}


def money_format(currency: str) -> str:
    """Return the number format of amounts in a currency, such as "$"#,##0.00 for USD.

    The symbol and the number of decimals are those the pages show (Babel's
    en_US data). The symbol is a quoted literal, which Excel and LibreOffice
    both show exactly as written.
    """
    symbol = get_currency_symbol(currency, locale="en_US").replace('"', "")
    decimals = get_currency_precision(currency)
    number = "#,##0." + "0" * decimals if decimals else "#,##0"
    return f'"{symbol}"{number}'


def write_xlsx(export: Export, file: IO[bytes] | str) -> int:
    """Write the XLSX file to a path or binary file and return the number of rows written.

    Constant-memory mode flushes each row to a temporary file once the next one
    starts, so memory use does not grow with the number of rows.
    """
    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            # Text goes through write_string, which never makes a formula, a link or a
            # number. These options keep any other write from converting text either.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"title": export.sheet_title, "creator": "Accountwise"})
    formats = _cell_formats(workbook, export.currency)
    sheet = workbook.add_worksheet(export.sheet_title)
    columns = export.definition.columns

    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.display_width)
        sheet.write_string(0, index, column.header, formats["header"])
    sheet.freeze_panes(1, 0)

    writers = list(enumerate(_cell_writer(sheet, column.type, formats) for column in columns))
    last_row = 0
    for last_row, record in enumerate(export.records(), start=1):
        for (index, write), value in zip(writers, record):
            if value is not None:
                write(last_row, index, value)

    sheet.autofilter(0, 0, last_row, len(columns) - 1)
    workbook.close()
    return export.row_count


def _cell_formats(workbook: xlsxwriter.Workbook, currency: str) -> dict[str, Format]:
    return {
        "header": workbook.add_format({"bold": True, "bottom": 1}),
        ColumnType.MONEY: workbook.add_format({"num_format": money_format(currency)}),
        ColumnType.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
        ColumnType.PERCENT: workbook.add_format({"num_format": PERCENT_FORMAT}),
        ColumnType.INTEGER: workbook.add_format({"num_format": INTEGER_FORMAT}),
        ColumnType.NUMBER: workbook.add_format({"num_format": NUMBER_FORMAT}),
    }


def _cell_writer(sheet: Worksheet, column_type: ColumnType, formats: dict) -> Callable[[int, int, Any], None]:
    """Return the function that writes a non-empty value of a column type as a typed cell."""
    cell_format = formats.get(column_type)
    if column_type == ColumnType.TEXT:
        return lambda row, col, value: sheet.write_string(row, col, str(value)) if value != "" else None
    if column_type == ColumnType.DATE:
        return lambda row, col, value: sheet.write_datetime(row, col, value, cell_format)
    if column_type == ColumnType.INTEGER:
        return lambda row, col, value: sheet.write_number(row, col, int(value), cell_format)
    # Amounts have at most 14 significant digits and a double keeps 15, so no digit is lost.
    return lambda row, col, value: sheet.write_number(row, col, float(value), cell_format)
