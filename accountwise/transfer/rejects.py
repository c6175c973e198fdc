"""Write the rows an import rejected, unchanged, with the reasons in an added column."""

import csv
import datetime
import re
from pathlib import Path
from typing import TextIO

from django.conf import settings

from accountwise.transfer.export.columns import neutralise_formula, restore_formula
from accountwise.transfer.parsing import cell_text
from accountwise.transfer.readers import Table
from accountwise.transfer.results import ImportResult

# UTF-8 with a byte order mark, so that spreadsheet programs on Windows detect the encoding.
REJECTS_ENCODING = "utf-8-sig"
# A signed number such as -5 or +1,200.50, which a spreadsheet reads as a number, not a formula.
_SIGNED_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def default_rejects_path(table: Table, now: datetime.datetime | None = None) -> Path:
    """Return a new path DATA_DIR/imports/<file name>-rejects-<timestamp>.csv, numbered if taken."""
    now = now or datetime.datetime.now()
    stem = Path(table.filename).stem or "import"
    folder = Path(settings.DATA_DIR) / "imports"
    path = folder / f"{stem}-rejects-{now:%Y%m%d-%H%M%S}.csv"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-rejects-{now:%Y%m%d-%H%M%S}-{number}.csv"
    return path


def write_rejects(stream: TextIO, table: Table, result: ImportResult) -> int:
    """Write the header and each rejected row, plus an error column, as CSV; return the row count.

    The stream must be opened with newline="". CSV files keep their delimiter
    so that the rejects open like the original; XLSX rows are written with
    commas, dates in ISO form. Text that a spreadsheet would run as a formula
    is guarded as in exports, and imports back as it was.
    """
    errors_by_line = result.errors_by_line()
    writer = csv.writer(stream, delimiter=table.delimiter or ",")
    writer.writerow([*table.headers, _error_header(table.headers)])

    width = len(table.headers)
    written = 0
    for row in table.rows:
        if row.line not in errors_by_line:
            continue
        values = [_safe_text(value, table.format == "CSV") for value in row.values]
        cells = values[:width] + [""] * (width - len(values))
        reasons = "; ".join(_reason(error) for error in errors_by_line[row.line])
        # Values beyond the header stay after the error column so that nothing is lost.
        writer.writerow([*cells, reasons, *values[width:]])
        written += 1
    return written


def save_rejects(path: Path, table: Table, result: ImportResult) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=REJECTS_ENCODING, newline="") as stream:
        return write_rejects(stream, table, result)


def _safe_text(value, from_csv: bool) -> str:
    if not isinstance(value, str):
        return cell_text(value)
    text = restore_formula(value) if from_csv else value
    return text if _SIGNED_NUMBER.fullmatch(text) else neutralise_formula(text)


def _error_header(headers: list[str]) -> str:
    name = "error"
    while name in headers:
        name = f"import {name}"
    return name


def _reason(error) -> str:
    return f"{error.column}: {error.message}" if error.column else error.message
