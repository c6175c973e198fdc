"""Read a CSV or XLSX file into a header and rows, whatever its encoding or delimiter."""

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from accountwise.transfer.mapping import normalize_header
from accountwise.transfer.parsing import cell_text, is_blank

logger = logging.getLogger(__name__)

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Excel saves CSV in the Windows code page; in Western Europe and the Americas that is cp1252.
_WESTERN_CODEPAGE = "cp1252"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_SNIFF_BYTES = 64 * 1024


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message names the file and the fix."""


@dataclass(frozen=True)
class Row:
    """One data row: its line number in the spreadsheet (the header is line 1) and its cells as read."""

    line: int
    values: tuple

    def value(self, index: int):
        return self.values[index] if index < len(self.values) else None


# Yields every record of the file, blank ones and the header included, as (line number, values).
RecordSource = Callable[[], Iterator[tuple[int, tuple]]]


class Table:
    """A file's header and a way to read its data rows again, one at a time.

    The rows are read from the file's bytes on each pass instead of being kept,
    so that a file of a few hundred thousand rows takes little more memory than
    the file itself.
    """

    def __init__(
        self,
        filename: str,
        format: str,
        headers: list[str],
        header_line: int,
        records: RecordSource,
        row_count: int | None = None,
    ):
        self.filename = filename
        self.format = format
        self.headers = headers
        self.header_line = header_line
        self._records = records
        self._row_count = row_count
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.sheet: str | None = None
        self.sheet_names: list[str] = []

    def describe(self) -> str:
        """Return how the file was read, for example "CSV, UTF-8, semicolon-separated"."""
        if self.format == "XLSX":
            return f'XLSX, sheet "{self.sheet}"'
        return f"CSV, {self.encoding}, {DELIMITERS[self.delimiter]}-separated"

    @property
    def other_sheets(self) -> list[str]:
        return [name for name in self.sheet_names if name != self.sheet]

    @property
    def rows(self) -> "TableRows":
        return TableRows(self)

    @property
    def row_count(self) -> int:
        """Return the number of data rows, reading the file once more the first time."""
        if self._row_count is None:
            self._row_count = sum(1 for _ in self.iter_rows())
        return self._row_count

    def iter_rows(self) -> Iterator[Row]:
        """Yield the non-blank rows below the header, reading the file from the start."""
        for line, values in self._records():
            if line > self.header_line and _has_value(values):
                yield Row(line, values)

    def first_rows(self, count: int) -> list[Row]:
        return list(islice(self.iter_rows(), count))


class TableRows(Sequence):
    """The data rows of a table as a sequence that reads the file again on each pass."""

    def __init__(self, table: Table):
        self._table = table

    def __iter__(self) -> Iterator[Row]:
        return self._table.iter_rows()

    def __len__(self) -> int:
        return self._table.row_count

    def __getitem__(self, index: int) -> Row:
        if index < 0:
            index += len(self)
        row = next(islice(self._table.iter_rows(), index, None), None)
        if row is None or index < 0:
            raise IndexError("table row index out of range")
        return row


def _has_value(values: tuple) -> bool:
    return any(not is_blank(value) for value in values)


def read_table(
    source: Path | str | BinaryIO,
    filename: str | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Read a path or an open binary file (such as an upload) into a Table.

    Raise ImportFileError when the file is missing, unreadable, empty, has only
    a header, or has duplicate column names. A CSV file is parsed to its end
    here, so that a malformed line is reported before anything is imported.
    """
    data, filename = _read_bytes(source, filename)
    if not data.strip():
        raise ImportFileError(
            f"{filename} is empty; export the data again with a header row and at least one data row."
        )

    if Path(filename).suffix.lower() in _XLSX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, filename, sheet)
    if Path(filename).suffix.lower() == ".xls" or data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            f"{filename} is an old Excel (.xls) workbook, which cannot be read; "
            "open it in a spreadsheet program and save it as .xlsx or CSV."
        )
    if sheet:
        raise ImportFileError(f"{filename} is a CSV file, which has no sheets; leave out the sheet name.")
    return _read_csv(data, filename, encoding, delimiter)


def _read_bytes(source, filename: str | None) -> tuple[bytes, str]:
    if hasattr(source, "read"):
        return source.read(), filename or getattr(source, "name", "the file")

    path = Path(source)
    filename = filename or path.name
    try:
        return path.read_bytes(), filename
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist; check the file name and folder.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder; give the path of a CSV or XLSX file.") from None
    except OSError as error:
        raise ImportFileError(
            f"{path} could not be read ({error.strerror}); check that the file is readable."
        ) from None


def _read_csv(data: bytes, filename: str, encoding: str | None, delimiter: str | None) -> Table:
    text_encoding = _choose_encoding(data, filename, encoding)
    sample = data[:_SNIFF_BYTES].decode(text_encoding.codec, errors="ignore")
    delimiter = delimiter or _sniff_delimiter(sample)
    if delimiter not in DELIMITERS:
        raise ImportFileError(
            f'"{delimiter}" cannot separate columns in {filename}; use a comma, semicolon, tab or pipe.'
        )

    def records() -> Iterator[tuple[int, tuple]]:
        # newline="" hands line endings inside quoted values to the csv module untouched.
        stream = io.TextIOWrapper(
            io.BytesIO(data), encoding=text_encoding.codec, errors=text_encoding.errors, newline=""
        )
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for line, record in enumerate(reader, start=1):
                yield line, tuple(record)
        except csv.Error as error:
            raise ImportFileError(
                f"{filename} is not a valid CSV file near line {reader.line_num} ({error}); "
                "save it again from a spreadsheet program."
            ) from None

    table = _table_from_records(records, filename, "CSV", count_rows=True)
    table.encoding, table.delimiter = text_encoding.name, delimiter
    return table


@dataclass(frozen=True)
class _TextEncoding:
    codec: str
    # As reported to the user, such as "UTF-8 with BOM".
    name: str
    errors: str = "strict"


def _choose_encoding(data: bytes, filename: str, encoding: str | None) -> _TextEncoding:
    """Choose the given encoding, else the one a BOM names, else strict UTF-8, else the detected one."""
    if encoding:
        try:
            data.decode(encoding)
        except LookupError:
            raise ImportFileError(f'"{encoding}" is not a known encoding; use for example utf-8 or cp1252.') from None
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"{filename} is not valid {encoding} (byte {error.start} cannot be decoded); "
                "choose another encoding or leave it out to detect it."
            ) from None
        return _TextEncoding(encoding, encoding)

    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{filename} starts with a {name} byte order mark but is not valid {name}; "
                    "save it again as UTF-8."
                ) from None
            return _TextEncoding(codec, name)

    try:
        data.decode("utf-8")
        return _TextEncoding("utf-8", "UTF-8")
    except UnicodeDecodeError:
        pass

    detected = _detect_encoding(data)
    if detected is None:
        raise ImportFileError(
            f"{filename} is not text in any encoding that could be detected; "
            "save it as CSV UTF-8, or name its encoding."
        )
    return _TextEncoding(detected, detected, errors="replace")


def _detect_encoding(data: bytes) -> str | None:
    """Return the most likely single-byte or multi-byte encoding of text that is not UTF-8.

    Among charset-normalizer's least chaotic guesses, prefer one that decodes
    like cp1252, because short Western European samples score equally under
    several code pages and cp1252 is what spreadsheet programs write there.
    NOTE: a short file with few accented letters can still be misdetected;
    naming the encoding overrides the guess.
    """
    matches = [
        match for match in charset_normalizer.from_bytes(data)
        if b"\x00" in data or not match.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not matches:
        return None

    least_chaos = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos <= least_chaos and _WESTERN_CODEPAGE in match.could_be_from_charset:
            return _WESTERN_CODEPAGE
    return matches[0].encoding


def _sniff_delimiter(text: str) -> str:
    """Pick the candidate delimiter that splits the header line most often.

    Headers rarely contain delimiters, unlike values such as "1,234.56", so the
    header decides; the csv module's sniffer breaks ties on the first lines.
    """
    lines = [line for line in text.splitlines() if line.strip()][:20]
    counts = {candidate: _count_outside_quotes(lines[0], candidate) for candidate in DELIMITERS}
    max_count = max(counts.values())
    if max_count == 0:
        return ","

    leaders = [candidate for candidate, count in counts.items() if count == max_count]
    if len(leaders) == 1:
        return leaders[0]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(leaders)).delimiter
    except csv.Error:
        return leaders[0]


def _count_outside_quotes(line: str, character: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == character and not quoted:
            count += 1
    return count


def _read_xlsx(data: bytes, filename: str, sheet: str | None) -> Table:
    workbook = _open_workbook(data, filename)
    try:
        sheet_names = [worksheet.title for worksheet in workbook.worksheets]
        title = _choose_sheet(workbook, sheet_names, filename, sheet).title
    finally:
        workbook.close()

    def records() -> Iterator[tuple[int, tuple]]:
        workbook = _open_workbook(data, filename)
        try:
            worksheet = workbook[title]
            # Some programs write a wrong sheet size; forgetting it makes openpyxl read every cell.
            worksheet.reset_dimensions()
            for line, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
                yield line, tuple(values)
        finally:
            workbook.close()

    # Counting the rows of a large workbook takes a full read, so it is done only on request.
    table = _table_from_records(records, filename, "XLSX", count_rows=False)
    table.sheet, table.sheet_names = title, sheet_names
    return table


def _open_workbook(data: bytes, filename: str):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        logger.info("Could not open %s as XLSX: %s", filename, error)
        raise ImportFileError(
            f"{filename} is not a readable XLSX workbook; "
            "open it in a spreadsheet program and save it again as .xlsx or CSV."
        ) from None


def _choose_sheet(workbook, sheet_names: list[str], filename: str, sheet: str | None):
    if not sheet_names:
        raise ImportFileError(f"{filename} has no worksheets; add a sheet with a header row and data.")
    if sheet is None:
        return workbook[sheet_names[0]]

    by_key = {name.strip().casefold(): name for name in sheet_names}
    name = sheet if sheet in sheet_names else by_key.get(sheet.strip().casefold())
    if name is None:
        raise ImportFileError(
            f'{filename} has no sheet named "{sheet}"; its sheets are {", ".join(sheet_names)}.'
        )
    return workbook[name]


def _table_from_records(records: RecordSource, filename: str, format_name: str, count_rows: bool) -> Table:
    """Build a table: the first non-empty record is the header, blank records are skipped.

    With count_rows, read to the end and count the data rows; without, stop at the first one.
    """
    iterator = records()
    try:
        header_line, header_values = next(((line, values) for line, values in iterator if _has_value(values)), (0, ()))
        if not header_line:
            raise ImportFileError(
                f"{filename} is empty; export the data again with a header row and at least one data row."
            )
        headers = _clean_headers(header_values)
        _check_duplicate_headers(headers, filename, header_line)

        if count_rows:
            row_count = sum(1 for _, values in iterator if _has_value(values))
            has_rows = row_count > 0
        else:
            row_count = None
            has_rows = any(_has_value(values) for _, values in iterator)
    finally:
        iterator.close()

    if not has_rows:
        raise ImportFileError(f"{filename} has a header row but no data rows; add the data below the header.")
    return Table(filename, format_name, headers, header_line, records, row_count)


def _clean_headers(values: tuple) -> list[str]:
    headers = [cell_text(value) for value in values]
    while headers and not headers[-1]:
        headers.pop()
    # An unnamed column in the middle gets a name so that it can be mapped or reported as ignored.
    return [header or f"column {index}" for index, header in enumerate(headers, start=1)]


def _check_duplicate_headers(headers: list[str], filename: str, header_line: int) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalize_header(header) or header
        if key in seen:
            first = headers[seen[key]]
            same = f'"{header}"' if first == header else f'"{first}" and "{header}"'
            raise ImportFileError(
                f"{filename} has two columns named {same} (columns {seen[key] + 1} and {index + 1} "
                f"of line {header_line}); rename one of them so that each column has its own name."
            )
        seen[key] = index
