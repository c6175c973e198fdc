import csv
import io

from django.test import SimpleTestCase

from accountwise.transfer.readers import read_table
from accountwise.transfer.rejects import write_rejects
from accountwise.transfer.results import ImportResult, RowError


def rejects_rows(data: bytes, errors: list[RowError]) -> list[list[str]]:
    table = read_table(io.BytesIO(data), "import.csv")
    stream = io.StringIO(newline="")
    write_rejects(stream, table, ImportResult("accounts", len(table.rows), errors=errors))
    return list(csv.reader(io.StringIO(stream.getvalue(), newline="")))


class WriteRejectsTests(SimpleTestCase):
    def test_only_rejected_rows_written(self):
        rows = rejects_rows(b"name,website\nGlobex,globex.com\nInitech,bad\n", [RowError(3, "website", "invalid")])

        self.assertEqual(rows, [["name", "website", "error"], ["Initech", "bad", "website: invalid"]])

    def test_row_errors_joined(self):
        errors = [RowError(2, None, "has 3 values"), RowError(2, "name", "missing")]

        rows = rejects_rows(b"name,website\n,x\n", errors)

        self.assertEqual(rows[1][2], "has 3 values; name: missing")

    def test_extra_values_kept(self):
        rows = rejects_rows(b"name,website\nGlobex,globex.com,surplus\n", [RowError(2, None, "has 3 values")])

        self.assertEqual(rows[1], ["Globex", "globex.com", "has 3 values", "surplus"])

    def test_short_rows_padded(self):
        rows = rejects_rows(b"name,website,industry\nGlobex\n", [RowError(2, "website", "missing")])

        self.assertEqual(rows[1], ["Globex", "", "", "website: missing"])

    def test_existing_error_column_kept(self):
        rows = rejects_rows(b"name,error\nGlobex,old\n", [RowError(2, "name", "bad")])

        self.assertEqual(rows[0], ["name", "error", "import error"])
        self.assertEqual(rows[1], ["Globex", "old", "name: bad"])
