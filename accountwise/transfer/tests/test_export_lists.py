import datetime

from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from accountwise.accounts.models import Account, Contact
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_contact, make_opportunity, make_user, stage
from accountwise.transfer.export.columns import Column, ColumnType, custom_field_column, row_reader
from accountwise.transfer.export.lists import ACCOUNTS, CONTACTS, OPPORTUNITIES, Export, ListDefinition, sheet_title
from accountwise.transfer.export.rows import contact_rows, opportunity_rows
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


class FilenameTests(TestCase):
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
    def test_plain_column_reads_its_position(self):
        sources, read = row_reader((Column("Name", "name"), Column("Parent", "parent__name")))

        self.assertEqual(sources, ["name", "parent__name"])
        self.assertEqual(read(("Acme", None)), ["Acme", None])

    def test_convert_gets_every_source(self):
        column = Column("Owner", ("first", "last"), convert=lambda first, last: f"{last}, {first}")

        _, read = row_reader((column,))

        self.assertEqual(read(("Ada", "Lovelace")), ["Lovelace, Ada"])

    def test_shared_source_fetched_once(self):
        columns = (
            Column("Value", "value"),
            Column("Estimated value", ("value", "stage__probability"), convert=lambda value, percent: value * percent),
            custom_field_column("Tier", "tier"),
            custom_field_column("Budget", "budget"),
        )

        sources, read = row_reader(columns)

        self.assertEqual(sources, ["value", "stage__probability", "custom_fields"])
        self.assertEqual(read((10, 3, {"tier": "Gold", "budget": 5})), [10, 30, "Gold", 5])

    def test_several_sources_need_convert(self):
        with self.assertRaisesMessage(ValueError, "Column 'Owner' reads 2 sources; give it a convert function."):
            row_reader((Column("Owner", ("first", "last")),))

    def test_width_fits_header(self):
        self.assertEqual(Column("A very long header for a date", "x", ColumnType.DATE).display_width, 31)
        self.assertEqual(Column("Close date", "x", ColumnType.DATE).display_width, 12)


class CustomFieldColumnTests(SimpleTestCase):
    def read(self, column: Column, custom_fields):
        _, read = row_reader((column,))
        return read((custom_fields,))[0]

    def test_reads_value_by_key(self):
        self.assertEqual(self.read(custom_field_column("Tier", "tier"), {"tier": "Gold"}), "Gold")

    def test_missing_value_reads_none(self):
        self.assertIsNone(self.read(custom_field_column("Tier", "tier"), {}))
        self.assertIsNone(self.read(custom_field_column("Tier", "tier"), None))

    def test_convert_applies_to_stored_value(self):
        column = custom_field_column("Review", "review", ColumnType.DATE, convert=datetime.date.fromisoformat)

        self.assertEqual(self.read(column, {"review": "2027-03-31"}), datetime.date(2027, 3, 31))

    def test_convert_skips_empty_value(self):
        column = custom_field_column("Review", "review", ColumnType.DATE, convert=datetime.date.fromisoformat)

        self.assertIsNone(self.read(column, {"review": None}))
        self.assertIsNone(self.read(column, {"review": ""}))

    def test_reads_related_account(self):
        column = custom_field_column("Account tier", "tier", source="account__custom_fields")

        self.assertEqual(column.sources, ("account__custom_fields",))


class RecordsTests(BaseTestCase):
    """Export.records() on the database: plain values, one query, the pages' wording."""

    def records(self, definition: ListDefinition, rows) -> list[list]:
        return list(Export(definition, rows, currency="USD").records())

    def test_owner_full_name_or_username(self):
        nameless = make_user("erin", first_name="")
        make_opportunity(self.account, "Named", owner=self.teammate, close_date=datetime.date(2027, 1, 1))
        make_opportunity(self.account, "Nameless", owner=nameless, close_date=datetime.date(2027, 1, 2))
        make_opportunity(self.account, "Unowned", owner=None, close_date=datetime.date(2027, 1, 3))

        records = self.records(OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"))

        owners = [record[OPPORTUNITIES.headers.index("Owner")] for record in records]
        self.assertEqual(owners, [str(self.teammate), "erin", None])

    def test_estimated_value_matches_model(self):
        opportunity = make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("0.05"))

        record = self.records(OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"))[0]

        self.assertEqual(record[OPPORTUNITIES.headers.index("Estimated value")], opportunity.estimated_value)

    def test_reports_to_full_name(self):
        manager = make_contact(self.account, "Curie", first_name="Marie")
        make_contact(self.account, "Zola", first_name="Emile", reports_to=manager)

        records = self.records(CONTACTS, contact_rows(Contact.objects.all()))

        self.assertEqual([record[CONTACTS.headers.index("Reports to")] for record in records], [None, "Marie Curie"])

    def test_custom_fields_in_one_query(self):
        self.account.custom_fields = {"tier": "Gold", "budget": "1200.50"}
        self.account.save()
        definition = ListDefinition("accounts", "Accounts", (
            Column("Name", "name"),
            custom_field_column("Tier", "tier"),
            custom_field_column("Annual budget", "budget", ColumnType.MONEY, convert=Decimal),
        ))

        with self.assertNumQueries(1):
            records = self.records(definition, Account.objects.filter(pk=self.account.pk))

        self.assertEqual(records, [["Acme Corporation", "Gold", Decimal("1200.50")]])


class ImporterHeaderTests(TestCase):
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
