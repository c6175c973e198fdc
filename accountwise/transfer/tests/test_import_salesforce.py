"""Import the Salesforce apex-recipes sample data, a data-tree export, from the command line.

Its Contacts.csv and Opportunities.csv point at accounts as @AccountRefN,
which Accounts.json resolves. The data set is read where it lies, beside the
repository, and never copied in; the tests skip when it is missing.
"""

import csv
import datetime
import json
import unittest
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from accountwise.accounts.models import Account, Contact
from accountwise.opportunities.models import Opportunity, Stage, StageKind
from accountwise.transfer.tests.support import ImportMixin

SALESFORCE = Path(settings.BASE_DIR).parent.parent / "shared" / "datasets" / "salesforce-apex-recipes"
ACCOUNTS_CSV = SALESFORCE / "Accounts.csv"
REFERENCES = SALESFORCE / "Accounts.json"
CREATED_STAGES = [
    "Id. Decision Makers", "Negotiation/Review", "Assigned dynamically",
    "Perception Analysis", "Proposal/Price Quote", "Value Proposition",
]


def read_rows(name: str) -> list[dict]:
    with (SALESFORCE / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@unittest.skipUnless(REFERENCES.exists(), f"the Salesforce apex-recipes sample is not at {SALESFORCE}")
class SalesforceImportTests(ImportMixin, TestCase):
    def import_accounts(self) -> str:
        # Salesforce's Type (Customer, Partner, …) is not Accountwise's account type, so it is left out.
        out, _ = self.run_command("accounts", ACCOUNTS_CSV, "--map", "type=")
        return out

    def import_contacts(self) -> str:
        out, _ = self.run_command("contacts", SALESFORCE / "Contacts.csv", "--references", REFERENCES)
        return out

    def import_opportunities(self, *options) -> str:
        out, _ = self.run_command(
            "opportunities", SALESFORCE / "Opportunities.csv", "--references", REFERENCES, *options
        )
        return out

    def test_references_follow_csv_order(self):
        records = json.loads(REFERENCES.read_text(encoding="utf-8"))["records"]
        rows = read_rows("Accounts.csv")

        self.assertEqual(len(records), len(rows))
        for number, (record, row) in enumerate(zip(records, rows), start=1):
            self.assertEqual(record["attributes"]["referenceId"], f"AccountRef{number}")
            self.assertEqual(record["name"], row["name"])

    def test_accounts_imported(self):
        out = self.import_accounts()

        self.assertIn("Accounts: 50 created, 0 updated, 0 unchanged, 0 rejected.", out)
        self.assertEqual(Account.objects.count(), 50)

    def test_account_type_column_rejected(self):
        _, err, failure = self.run_failing_command("accounts", ACCOUNTS_CSV)

        self.assertIn('line 2, column type: "Customer" is not an account type; use Normal or Strategic', err)
        self.assertIn("50 of 50 rows are invalid", failure)

    def test_contacts_at_referenced_accounts(self):
        self.import_accounts()

        out = self.import_contacts()

        self.assertIn("References: 50 accounts in Accounts.json.", out)
        self.assertIn("Contacts: 150 created, 0 updated, 0 unchanged, 0 rejected.", out)
        account_names = [row["name"] for row in read_rows("Accounts.csv")]
        for row in read_rows("Contacts.csv"):
            number = int(row["accountId"].removeprefix("@AccountRef"))
            with self.subTest(email=row["email"]):
                contact = Contact.objects.select_related("account").get(email=row["email"])
                self.assertEqual(contact.account.name, account_names[number - 1])

    def test_contact_fields_kept_exactly(self):
        self.import_accounts()
        self.import_contacts()

        for row in read_rows("Contacts.csv"):
            contact = Contact.objects.get(email=row["email"])
            with self.subTest(email=row["email"]):
                self.assertEqual(contact.first_name.encode(), row["firstName"].encode())
                self.assertEqual(contact.last_name.encode(), row["lastName"].encode())
                self.assertEqual(contact.job_title.encode(), row["title"].encode())
                self.assertEqual(contact.phone.encode(), row["phone"].encode())

    def test_unknown_stages_without_option(self):
        self.import_accounts()

        _, err, failure = self.run_failing_command(
            "opportunities", SALESFORCE / "Opportunities.csv", "--references", REFERENCES
        )

        self.assertIn('Unknown stage "Id. Decision Makers" on 8 rows', err)
        self.assertIn("39 of 50 rows are invalid", failure)

    def test_opportunities_with_created_stages(self):
        self.import_accounts()

        out = self.import_opportunities("--create-stages")

        self.assertIn("Opportunities: 50 created, 0 updated, 0 unchanged, 0 rejected.", out)
        self.assertEqual(
            list(Stage.objects.filter(name__in=CREATED_STAGES).order_by("position").values_list("name", flat=True)),
            CREATED_STAGES,
        )
        self.assertEqual(Opportunity.objects.filter(stage__kind=StageKind.WON).count(), 3)
        self.assertEqual(Opportunity.objects.filter(stage__kind=StageKind.LOST).count(), 1)

    def test_stage_map_option(self):
        self.import_accounts()

        self.import_opportunities(
            "--stage-map", "Id. Decision Makers=Qualification", "--stage-map", "Negotiation/Review=Negotiation",
            "--stage-map", "Assigned dynamically=Prospecting", "--stage-map", "Perception Analysis=Needs analysis",
            "--stage-map", "Proposal/Price Quote=Proposal", "--stage-map", "Value Proposition=Proposal",
        )

        expected = [row for row in read_rows("Opportunities.csv") if row["StageName"] in ("Id. Decision Makers", "Qualification")]
        self.assertEqual(Opportunity.objects.filter(stage__name="Qualification").count(), len(expected))
        self.assertFalse(Stage.objects.filter(name__in=CREATED_STAGES).exists())

    def test_opportunity_values_kept_exactly(self):
        self.import_accounts()
        self.import_opportunities("--create-stages")

        account_names = [row["name"] for row in read_rows("Accounts.csv")]
        opportunities = {
            (opportunity.account.name, opportunity.name): opportunity
            for opportunity in Opportunity.objects.select_related("account", "stage")
        }
        for line, row in enumerate(read_rows("Opportunities.csv"), start=2):
            account = account_names[int(row["accountId"].removeprefix("@AccountRef")) - 1]
            opportunity = opportunities[(account, row["name"])]
            with self.subTest(line=line):
                self.assertEqual(opportunity.description.encode("utf-8"), row["description"].encode("utf-8"))
                self.assertEqual(str(opportunity.value), row["amount"])
                self.assertEqual(opportunity.close_date, datetime.date.fromisoformat(row["closedate"][:10]))

    def test_rerun_unchanged(self):
        self.import_accounts()
        self.import_contacts()
        self.import_opportunities("--create-stages")

        contacts_out = self.import_contacts()
        opportunities_out = self.import_opportunities()

        self.assertIn("Contacts: 0 created, 0 updated, 150 unchanged, 0 rejected.", contacts_out)
        self.assertIn("Opportunities: 0 created, 0 updated, 50 unchanged, 0 rejected.", opportunities_out)
