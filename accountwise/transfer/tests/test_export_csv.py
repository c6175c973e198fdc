import codecs
import datetime
import io
from decimal import Decimal

from accountwise.accounts.models import Account
from accountwise.transfer.export.columns import Column, ColumnType
from accountwise.transfer.export.lists import CONTRACTS, OPPORTUNITIES, Export, ListDefinition
from accountwise.transfer.export.rows import contract_rows, opportunity_rows
from accountwise.transfer.export.writers import CSV_ROWS_PER_CHUNK, csv_chunks, write_csv
from accountwise.transfer.tests.export_support import column, csv_rows
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage


def _contracts(account) -> Export:
    return Export(CONTRACTS, contract_rows(account.contracts.all(), "all"), currency="USD")


class CsvWriterTests(BaseTestCase):
    def setUp(self):
        make_contract(
            self.account, "Support", value=Decimal("1234.5"),
            start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
        )

    def _rows(self, export: Export) -> list[list[str]]:
        return csv_rows(b"".join(csv_chunks(export)))

    def test_starts_with_bom(self):
        data = b"".join(csv_chunks(_contracts(self.account)))

        self.assertTrue(data.startswith(codecs.BOM_UTF8 + b"Account,Name,Value,"))

    def test_header_row(self):
        self.assertEqual(self._rows(_contracts(self.account))[0], CONTRACTS.headers)

    def test_money_plain_decimal(self):
        self.assertEqual(column(self._rows(_contracts(self.account)), "Value"), ["1234.50"])

    def test_dates_iso(self):
        rows = self._rows(_contracts(self.account))

        self.assertEqual(column(rows, "Start date"), ["2026-01-01"])
        self.assertEqual(column(rows, "End date"), ["2026-12-31"])

    def test_empty_values_empty(self):
        make_contract(self.account, "Draft", value=None, end_date=datetime.date(2027, 6, 30))

        rows = self._rows(_contracts(self.account))

        self.assertEqual(rows[2], ["Acme Corporation", "Draft", "", "", "2027-06-30", "Active", "", ""])

    def test_probability_as_percent(self):
        make_opportunity(self.account, stage=stage("Negotiation"), value=Decimal("100.00"))
        export = Export(OPPORTUNITIES, opportunity_rows(self.account.opportunities.all(), "all"), currency="USD")

        rows = self._rows(export)

        self.assertEqual(column(rows, "Probability"), ["0.8"])
        self.assertEqual(column(rows, "Estimated value"), ["80.00"])

    def test_whole_probabilities_plain(self):
        make_opportunity(self.account, "Won", stage=stage("won"), close_date=datetime.date(2027, 1, 1))
        make_opportunity(self.account, "Parked", stage=stage("on_hold"), close_date=datetime.date(2027, 2, 1))
        export = Export(OPPORTUNITIES, opportunity_rows(self.account.opportunities.all(), "all"), currency="USD")

        rows = self._rows(export)

        self.assertEqual(column(rows, "Probability"), ["1", "0"])

    def test_integer_plain(self):
        definition = ListDefinition("t", "T", (Column("Count", "pk", ColumnType.INTEGER, convert=lambda pk: 1234),))

        rows = self._rows(Export(definition, Account.objects.all(), currency="USD"))

        self.assertEqual(rows[1], ["1234"])

    def test_quotes_commas_and_line_breaks(self):
        make_contract(self.account, 'Says "hi", then\nleaves', end_date=datetime.date(2027, 6, 30))

        rows = self._rows(_contracts(self.account))

        self.assertEqual(column(rows, "Name")[1], 'Says "hi", then\nleaves')

    def test_unicode_kept(self):
        account = make_account("Société Générale")
        make_contract(account, "Maintenance – Zürich")

        rows = self._rows(_contracts(account))

        self.assertEqual(rows[1][:2], ["Société Générale", "Maintenance – Zürich"])

    def test_rows_streamed_in_chunks(self):
        for _ in range(CSV_ROWS_PER_CHUNK + 1):
            make_contract(self.account, end_date=datetime.date(2027, 6, 30))

        chunks = list(csv_chunks(_contracts(self.account)))

        # The header, a full chunk of rows, then the two rows left over.
        self.assertEqual(len(chunks), 3)
        self.assertEqual(len(csv_rows(b"".join(chunks))), CSV_ROWS_PER_CHUNK + 3)

    def test_write_returns_row_count(self):
        make_contract(self.account, end_date=datetime.date(2027, 6, 30))

        count = write_csv(_contracts(self.account), io.BytesIO())

        self.assertEqual(count, 2)
