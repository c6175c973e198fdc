import datetime
import io
from decimal import Decimal

from openpyxl.utils.escape import unescape

from accountwise.accounts.models import Account
from accountwise.transfer.export.columns import Column, ColumnType
from accountwise.transfer.export.lists import CONTRACTS, Export, ListDefinition
from accountwise.transfer.export.rows import contract_rows
from accountwise.transfer.export.writers import csv_chunks, write_xlsx
from accountwise.transfer.tests.export_support import column, csv_rows, xlsx_sheet
from accountwise.test import BaseTestCase, make_contract

DANGEROUS_NAMES = ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
SAFE_NAMES = ["Support – 2026", "50% off", "a=b", "x+1"]

# Text, money and integer values that begin with a minus sign.
SIGNED = ListDefinition("signed", "Signed", (
    Column("Note", "pk", ColumnType.TEXT, convert=lambda pk: "-2"),
    Column("Balance", "pk", ColumnType.MONEY, convert=lambda pk: Decimal("-12.50")),
    Column("Change", "pk", ColumnType.INTEGER, convert=lambda pk: -3),
))


def _xlsx(export: Export):
    buffer = io.BytesIO()
    write_xlsx(export, buffer)
    return xlsx_sheet(buffer.getvalue())


class FormulaInjectionTests(BaseTestCase):
    def setUp(self):
        for day, name in enumerate(DANGEROUS_NAMES + SAFE_NAMES, start=1):
            make_contract(self.account, name, end_date=datetime.date(2027, 1, day))

    def _export(self) -> Export:
        return Export(CONTRACTS, contract_rows(self.account.contracts.all(), "all"), currency="USD")

    def test_csv_prefixes_quote(self):
        rows = csv_rows(b"".join(csv_chunks(self._export())))

        self.assertEqual(column(rows, "Name")[: len(DANGEROUS_NAMES)], [f"'{name}" for name in DANGEROUS_NAMES])

    def test_csv_leaves_safe_text(self):
        rows = csv_rows(b"".join(csv_chunks(self._export())))

        self.assertEqual(column(rows, "Name")[len(DANGEROUS_NAMES):], SAFE_NAMES)

    def test_xlsx_writes_strings(self):
        sheet = _xlsx(self._export())

        names = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2)]
        for cell, name in zip(names, DANGEROUS_NAMES + SAFE_NAMES):
            with self.subTest(name=name):
                self.assertEqual(cell.data_type, "s")
                # openpyxl leaves the _x000D_ escape of a carriage return as written.
                self.assertEqual(unescape(cell.value), name)

    def test_xlsx_has_no_formula(self):
        buffer = io.BytesIO()
        write_xlsx(self._export(), buffer)

        sheet = xlsx_sheet(buffer.getvalue())
        formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        self.assertEqual(formulas, [])


class SignedNumberTests(BaseTestCase):
    def test_csv_numbers_stay_numbers(self):
        rows = csv_rows(b"".join(csv_chunks(Export(SIGNED, Account.objects.all(), currency="USD"))))

        self.assertEqual(rows[1], ["'-2", "-12.50", "-3"])

    def test_xlsx_numbers_stay_numbers(self):
        sheet = _xlsx(Export(SIGNED, Account.objects.all(), currency="USD"))

        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual((sheet["B2"].data_type, sheet["B2"].value), ("n", -12.5))
        self.assertEqual((sheet["C2"].data_type, sheet["C2"].value), ("n", -3))
