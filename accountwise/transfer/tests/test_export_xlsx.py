import datetime
import io
from decimal import Decimal

from accountwise.accounts.models import Account
from accountwise.transfer.export.columns import Column, ColumnType
from accountwise.transfer.export.lists import CONTRACTS, OPPORTUNITIES, Export, ListDefinition
from accountwise.transfer.export.rows import contract_rows, opportunity_rows
from accountwise.transfer.export.writers import money_format, write_xlsx
from accountwise.transfer.tests.export_support import column, xlsx_sheet, xlsx_values
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


def _write(export: Export) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(export, buffer)
    return buffer.getvalue()


class XlsxWriterTests(BaseTestCase):
    def setUp(self):
        make_contract(
            self.account, "Support", value=Decimal("1234.50"),
            start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
        )
        make_opportunity(self.account, "Renewal", stage=stage("Proposal"), value=Decimal("5000.00"))

    def _contracts(self, currency: str = "USD") -> bytes:
        rows = contract_rows(self.account.contracts.all(), "all")
        return _write(Export(CONTRACTS, rows, subject=self.account.name, currency=currency))

    def _opportunities(self) -> bytes:
        rows = opportunity_rows(self.account.opportunities.all(), "all")
        return _write(Export(OPPORTUNITIES, rows, subject=self.account.name, currency="USD"))

    def test_money_is_number_with_currency(self):
        cell = xlsx_sheet(self._contracts())["C2"]

        self.assertEqual(cell.data_type, "n")
        self.assertEqual(cell.value, 1234.5)
        self.assertEqual(cell.number_format, '"$"#,##0.00')

    def test_money_format_follows_organisation(self):
        cell = xlsx_sheet(self._contracts(currency="EUR"))["C2"]

        self.assertEqual(cell.number_format, '"€"#,##0.00')

    def test_date_is_datetime_with_format(self):
        cell = xlsx_sheet(self._contracts())["D2"]

        self.assertIsInstance(cell.value, datetime.datetime)
        self.assertEqual(cell.value.date(), datetime.date(2026, 1, 1))
        self.assertEqual(cell.number_format, "yyyy-mm-dd")

    def test_probability_is_percent(self):
        rows = xlsx_values(self._opportunities())
        sheet = xlsx_sheet(self._opportunities())

        self.assertEqual(column(rows, "Probability"), [0.6])
        self.assertEqual(sheet["D2"].number_format, "0%")

    def test_estimated_value_is_money(self):
        rows = xlsx_values(self._opportunities())

        self.assertEqual(column(rows, "Estimated value"), [3000])

    def test_text_is_string(self):
        sheet = xlsx_sheet(self._contracts())

        self.assertEqual(sheet["B2"].value, "Support")
        self.assertEqual(sheet["B2"].data_type, "s")

    def test_empty_value_leaves_cell_empty(self):
        make_contract(self.account, "Draft", value=None, end_date=datetime.date(2027, 6, 30))

        rows = xlsx_values(self._contracts())

        self.assertEqual(column(rows, "Value"), [1234.5, None])

    def test_header_bold_and_frozen(self):
        sheet = xlsx_sheet(self._contracts())

        self.assertEqual([cell.value for cell in sheet[1]], CONTRACTS.headers)
        self.assertTrue(all(cell.font.bold for cell in sheet[1]))
        self.assertEqual(sheet.freeze_panes, "A2")

    def test_autofilter_covers_rows(self):
        make_contract(self.account, "Licences", end_date=datetime.date(2027, 6, 30))

        sheet = xlsx_sheet(self._contracts())

        self.assertEqual(sheet.auto_filter.ref, "A1:H3")

    def test_autofilter_on_empty_list(self):
        self.account.contracts.all().delete()

        sheet = xlsx_sheet(self._contracts())

        self.assertEqual(sheet.max_row, 1)
        self.assertEqual(sheet.auto_filter.ref, "A1:H1")

    def test_sheet_named_after_list(self):
        self.assertEqual(xlsx_sheet(self._contracts()).title, "Contracts – Acme Corporation")

    def test_column_widths_set(self):
        sheet = xlsx_sheet(self._contracts())

        self.assertGreater(sheet.column_dimensions["B"].width, 30)
        self.assertGreater(sheet.column_dimensions["D"].width, 10)

    def test_integer_column(self):
        definition = ListDefinition("t", "T", (Column("Count", "pk", ColumnType.INTEGER, convert=lambda pk: 1234),))

        cell = xlsx_sheet(_write(Export(definition, Account.objects.all(), currency="USD")))["A2"]

        self.assertEqual(cell.value, 1234)
        self.assertEqual(cell.number_format, "#,##0")

    def test_returns_row_count(self):
        rows = contract_rows(self.account.contracts.all(), "all")

        count = write_xlsx(Export(CONTRACTS, rows, currency="USD"), io.BytesIO())

        self.assertEqual(count, 1)


class MoneyFormatTests(BaseTestCase):
    def test_symbol_before_amount(self):
        self.assertEqual(money_format("USD"), '"$"#,##0.00')
        self.assertEqual(money_format("GBP"), '"£"#,##0.00')
        self.assertEqual(money_format("CHF"), '"CHF"#,##0.00')

    def test_currency_without_cents(self):
        self.assertEqual(money_format("JPY"), '"¥"#,##0')
