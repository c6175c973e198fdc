import datetime

from django.urls import reverse

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract
from accountwise.core.models import Organisation
from accountwise.customfields.models import CustomField
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_account, make_contract
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import map_columns
from accountwise.transfer.readers import read_table
from accountwise.transfer.results import ImportOptions
from accountwise.transfer.tests.export_support import content_of, csv_rows, xlsx_values
from accountwise.transfer.tests.support import ImportMixin


class ExportColumnTests(BaseTestCase):
    def setUp(self):
        Organisation.get()
        make_custom_field("account", "money", "budget", label="Budget", show_in_list=True)
        make_custom_field("account", "percentage", "share", label="Wallet share", show_in_list=True)
        make_custom_field("account", "date", "review", label="Review", show_in_list=True)
        make_custom_field("account", "multiple_choice", "lines", label="Lines", choices=["Cloud", "Support"], show_in_list=True)
        make_custom_field("account", "user", "sponsor", label="Sponsor", show_in_list=True)
        make_custom_field("account", "text", "notes", label="Notes")
        self.account.custom_fields = {
            "budget": "1500.50", "share": "12.5", "review": "2027-01-31", "lines": ["Cloud", "Support"],
            "sponsor": self.teammate.pk, "notes": "not a column",
        }
        self.account.save()
        self.login(self.owner)

    def test_xlsx_cells_typed(self):
        data = content_of(self.client.get(reverse("transfer:export-accounts", args=["xlsx"])))

        header, row = xlsx_values(data)[:2]
        values = dict(zip(header, row))
        self.assertEqual(values["Budget"], 1500.5)
        self.assertEqual(values["Wallet share"], 12.5)
        self.assertEqual(values["Review"], datetime.datetime(2027, 1, 31))
        self.assertEqual(values["Lines"], "Cloud; Support")
        self.assertEqual(values["Sponsor"], str(self.teammate))
        self.assertNotIn("Notes", header)

    def test_csv_follows_list_filter(self):
        make_account("Other", custom_fields={"budget": "10.00"})
        CustomField.objects.filter(key="budget").update(filterable=True)

        data = content_of(self.client.get(reverse("transfer:export-accounts", args=["csv"]), {"cf_budget_min": "100"}))

        rows = csv_rows(data)
        self.assertEqual([row[0] for row in rows[1:]], ["Acme Corporation"])
        self.assertEqual(dict(zip(rows[0], rows[1]))["Budget"], "1500.50")


class ImportTests(ImportMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        make_custom_field("contract", "money", "budget", label="Budget")
        make_custom_field("contract", "choice", "tier", label="Tier", choices=["Gold", "Silver"])
        make_custom_field("contract", "text", "po_number", label="PO number", required=True)

    def test_maps_by_label_key_or_prefixed_key(self):
        result = self.import_csv(
            "contracts",
            "name,account,BUDGET,cf_tier,po number\nSupport,Acme Corporation,\"1,200\",Gold,PO-1\n",
        )

        self.assertTrue(result.written, result.errors)
        contract = Contract.objects.get()
        self.assertEqual(contract.custom_fields, {"budget": "1200.00", "tier": "Gold", "po_number": "PO-1"})

    def test_bad_values_reported_per_row(self):
        result = self.import_csv(
            "contracts",
            "name,account,Budget,Tier,PO number\nA,Acme Corporation,lots,Bronze,\nB,Acme Corporation,5,Gold,PO-2\n",
        )

        self.assertFalse(result.written)
        messages = {(error.line, error.column): error.message for error in result.errors}
        self.assertEqual(messages[(2, "Budget")], "Enter Budget as an amount in digits, such as 1500.00.")
        self.assertIn("Gold, Silver", messages[(2, "Tier")])
        self.assertIn("PO number is missing", messages[(2, "PO number")])
        self.assertFalse(Contract.objects.exists())

    def test_update_keeps_values_of_columns_not_in_file(self):
        contract = make_contract(self.account, "Support", external_id="C1", custom_fields={"budget": "5.00", "po_number": "OLD"})

        result = self.import_csv("contracts", "id,name,account,Tier\nC1,Support,Acme Corporation,Silver\n")

        self.assertTrue(result.written, result.errors)
        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"budget": "5.00", "po_number": "OLD", "tier": "Silver"})


class RoundTripTests(ImportMixin, BaseTestCase):
    def test_account_export_imports_back(self):
        Organisation.get()
        make_custom_field("account", "money", "budget", label="Budget", show_in_list=True)
        make_custom_field("account", "percentage", "share", label="Wallet share", show_in_list=True)
        make_custom_field("account", "number", "score", label="Score", show_in_list=True)
        make_custom_field("account", "date", "review", label="Review", show_in_list=True)
        make_custom_field("account", "boolean", "partner", label="Partner", show_in_list=True)
        make_custom_field("account", "multiple_choice", "lines", label="Lines", choices=["Cloud", "Support"], show_in_list=True)
        make_custom_field("account", "user", "sponsor", label="Sponsor", show_in_list=True)
        values = {
            "budget": "1500.50", "share": "12.5", "score": "-3.25", "review": "2027-01-31", "partner": False,
            "lines": ["Cloud", "Support"], "sponsor": self.teammate.pk,
        }
        self.account.custom_fields = values
        self.account.save()
        self.login(self.admin)

        for file_format in ("xlsx", "csv"):
            with self.subTest(file_format=file_format):
                data = content_of(self.client.get(reverse("transfer:export-accounts", args=[file_format])))
                Account.objects.filter(pk=self.account.pk).update(custom_fields={})
                path = self.write_file(f"accounts.{file_format}", data)

                result = self.import_file(path, "accounts")

                self.assertTrue(result.written, result.errors)
                self.account.refresh_from_db()
                self.assertEqual(self.account.custom_fields, values)

    def import_file(self, path, entity):
        table = read_table(path)
        return run_import(table, map_columns(table.headers, entity), ImportOptions())
