"""Read exported files back in tests: the bytes of a download, CSV rows, XLSX sheets."""

import codecs
import csv
import io

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


def content_of(response) -> bytes:
    """Return the body of a download, streamed or not, reading the whole stream."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8), "the CSV file does not start with a UTF-8 byte order mark"
    text = data[len(codecs.BOM_UTF8):].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_sheet(data: bytes) -> Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def xlsx_values(data: bytes) -> list[list]:
    return [list(row) for row in xlsx_sheet(data).iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    """Return the values under a header, without the header row."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
