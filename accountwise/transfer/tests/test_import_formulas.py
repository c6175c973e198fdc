"""Cells that look like spreadsheet formulas: kept as text on import, guarded in rejects files."""

import csv
import io

from django.test import SimpleTestCase

from accountwise.accounts.models import Account
from accountwise.transfer.export.columns import neutralise_formula, restore_formula
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import ACCOUNTS, map_columns
from accountwise.transfer.readers import read_table
from accountwise.transfer.rejects import write_rejects
from accountwise.transfer.results import ImportResult, RowError
from accountwise.transfer.tests.support import ImportTestCase

TEXTS = ["=1+2", "+44 20 7946 0000", "-5 days", "@SUM(A1)", "'=quoted", "''=twice", "'plain", "plain", "'"]


class FormulaGuardTests(SimpleTestCase):
    def test_restore_undoes_neutralise(self):
        for text in TEXTS:
            with self.subTest(text=text):
                self.assertEqual(restore_formula(neutralise_formula(text)), text)

    def test_quoted_formula_gets_extra_quote(self):
        self.assertEqual(neutralise_formula("'=quoted"), "''=quoted")

    def test_plain_quote_kept(self):
        self.assertEqual(restore_formula("'plain"), "'plain")


class ImportFormulaTextTests(ImportTestCase):
    def test_formula_text_stored_as_text(self):
        self.import_csv(ACCOUNTS, 'name,industry\n"=HYPERLINK(""http://example.com"",""x"")",@risk\n')

        account = Account.objects.get(industry="@risk")
        self.assertEqual(account.name, '=HYPERLINK("http://example.com","x")')

    def test_csv_guard_quote_removed(self):
        self.import_csv(ACCOUNTS, "name,industry\n'=Globex,'+Energy\n")

        self.assertTrue(Account.objects.filter(name="=Globex", industry="+Energy").exists())

    def test_xlsx_quote_kept(self):
        table = read_table(self.write_xlsx({"Accounts": [["name"], ["'=Globex"]]}))

        run_import(table, map_columns(table.headers, ACCOUNTS))

        self.assertTrue(Account.objects.filter(name="'=Globex").exists())


class RejectsFormulaTests(SimpleTestCase):
    def rejects(self, data: bytes) -> list[list[str]]:
        table = read_table(io.BytesIO(data), "import.csv")
        stream = io.StringIO(newline="")
        write_rejects(stream, table, ImportResult("accounts", 1, errors=[RowError(2, "name", "bad")]))
        return list(csv.reader(io.StringIO(stream.getvalue(), newline="")))

    def test_formula_guarded(self):
        rows = self.rejects(b"name,industry\n=cmd|' /C calc'!A0,@x\n")

        self.assertEqual(rows[1][:2], ["'=cmd|' /C calc'!A0", "'@x"])

    def test_signed_numbers_unchanged(self):
        rows = self.rejects(b"name,value\nGlobex,-5\n")

        self.assertEqual(rows[1][:2], ["Globex", "-5"])

    def test_guarded_cell_stays_guarded(self):
        rows = self.rejects(b"name\n'=Globex\n")

        self.assertEqual(rows[1][0], "'=Globex")
