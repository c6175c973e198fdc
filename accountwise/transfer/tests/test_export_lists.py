import datetime

from django.test import SimpleTestCase

from accountwise.accounts.models import Account
from accountwise.transfer.export.columns import Column, ColumnType
from accountwise.transfer.export.lists import ACCOUNTS, OPPORTUNITIES, Export, sheet_title
from accountwise.transfer.mapping import map_columns

DAY = datetime.date(2026, 12, 4)


class SheetTitleTests(SimpleTestCase):
    def test_names_list_and_account(self):
        self.assertEqual(sheet_title("Contracts", "Acme Corporation"), "Contracts – Acme Corporation")

    def test_list_alone_without_account(self):
        self.assertEqual(sheet_title("Accounts"), "Accounts")

    def test_long_title_shortened(self):
        title = sheet_title("Opportunities", "Acme Corporation")

        self.assertEqual(len(title), 31)
        self.assertEqual(title, "Opportunities – Acme Corporati…")

    def test_no_space_before_ellipsis(self):
        title = sheet_title("Opportunities", "International Business Machines")

        self.assertEqual(title, "Opportunities – International…")

    def test_forbidden_characters_replaced(self):
        title = sheet_title("Contracts", "A/B [x]: y*? z\\")

        for character in "[]:*?/\\":
            with self.subTest(character=character):
                self.assertNotIn(character, title)
        self.assertEqual(title, "Contracts – A B x y z")

    def test_apostrophes_trimmed(self):
        self.assertEqual(sheet_title("Contracts", "O'Brien's'"), "Contracts – O'Brien's")


class FilenameTests(SimpleTestCase):
    def test_list_account_and_day(self):
        export = Export(OPPORTUNITIES, rows=None, subject="Acme Corporation", currency="USD")

        self.assertEqual(export.filename("xlsx", DAY), "opportunities-acme-corporation-2026-12-04.xlsx")

    def test_accents_become_ascii(self):
        export = Export(OPPORTUNITIES, rows=None, subject="Société Générale", currency="EUR")

        self.assertEqual(export.filename("csv", DAY), "opportunities-societe-generale-2026-12-04.csv")

    def test_without_account(self):
        export = Export(ACCOUNTS, rows=None, currency="USD")

        self.assertEqual(export.filename("csv", DAY), "accounts-2026-12-04.csv")

    def test_name_without_letters_left_out(self):
        export = Export(OPPORTUNITIES, rows=None, subject="株式会社", currency="JPY")

        self.assertEqual(export.filename("xlsx", DAY), "opportunities-2026-12-04.xlsx")


class ColumnTests(SimpleTestCase):
    def test_dotted_path_reads_related(self):
        parent = Account(name="Acme Group")
        account = Account(name="Acme", parent=parent)

        self.assertEqual(Column("Parent", "parent.name").read(account), "Acme Group")

    def test_missing_link_reads_none(self):
        self.assertIsNone(Column("Parent", "parent.name").read(Account(name="Acme")))

    def test_function_accessor(self):
        column = Column("Upper", lambda account: account.name.upper())

        self.assertEqual(column.read(Account(name="Acme")), "ACME")

    def test_width_fits_header(self):
        self.assertEqual(Column("A very long header for a date", "x", ColumnType.DATE).display_width, 31)
        self.assertEqual(Column("Close date", "x", ColumnType.DATE).display_width, 12)


class ImporterHeaderTests(SimpleTestCase):
    """The headers are ones the importer recognises, so an exported file imports back."""

    def test_account_headers_map(self):
        mapping = map_columns(ACCOUNTS.headers, "accounts")

        for field, header in [("name", "Name"), ("type", "Type"), ("owner", "Owner"),
                              ("industry", "Industry"), ("country", "Country"),
                              ("parent", "Parent"), ("external_id", "External ID")]:
            with self.subTest(field=field):
                self.assertEqual(mapping.header(field), header)

    def test_opportunity_headers_map(self):
        mapping = map_columns(OPPORTUNITIES.headers, "opportunities")

        for field, header in [("account", "Account"), ("name", "Name"), ("stage", "Stage"),
                              ("value", "Value"), ("close_date", "Close date"),
                              ("owner", "Owner"), ("external_id", "External ID")]:
            with self.subTest(field=field):
                self.assertEqual(mapping.header(field), header)
