"""Import the Maven Analytics CRM sample (85 accounts, 8,800 opportunities) as a user would.

The data set is read where it lies, beside the repository, and never copied in;
the tests skip when it is missing.
"""

import csv
import unittest
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity, StageKind
from accountwise.transfer.tests.support import ImportMixin

MAVEN = Path(settings.BASE_DIR).parent.parent / "shared" / "datasets" / "maven-crm"


@unittest.skipUnless((MAVEN / "sales_pipeline.csv").exists(), f"the Maven CRM sample is not at {MAVEN}")
class MavenImportTests(ImportMixin, TestCase):
    # A plain TestCase: the shared cast's account, Acme Corporation, is also in the sample.

    def import_sample(self) -> tuple[str, str, str]:
        accounts_out, _ = self.run_command("accounts", MAVEN / "accounts.csv")
        pipeline_out, pipeline_err = self.run_command(
            "opportunities", MAVEN / "sales_pipeline.csv", "--map", "product=name", "--create-owners", "--skip-invalid"
        )
        return accounts_out, pipeline_out, pipeline_err

    def rejected_rows(self, output: str) -> list[dict]:
        path = Path(output.rsplit(" to ", 1)[1].strip())
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return list(csv.DictReader(stream))

    def assert_pipeline_totals(self):
        won = Opportunity.objects.filter(stage__kind=StageKind.WON)
        self.assertEqual(won.count(), 4238)
        self.assertEqual(won.totals()["total_value"], Decimal("10005534.00"))
        self.assertEqual(Opportunity.objects.filter(stage__kind=StageKind.LOST).count(), 2473)
        self.assertEqual(Opportunity.objects.count(), 4238 + 2473)

    def test_accounts_imported(self):
        accounts_out, _, _ = self.import_sample()

        self.assertEqual(Account.objects.count(), 85)
        self.assertEqual(Account.objects.filter(parent__isnull=False).count(), 15)
        self.assertIn("Accounts: 85 created, 0 updated, 0 unchanged, 0 rejected.", accounts_out)
        self.assertIn("Ignored columns (matches no field): year_established, revenue, employees.", accounts_out)

    def test_won_and_lost_opportunities(self):
        _, pipeline_out, _ = self.import_sample()

        self.assert_pipeline_totals()
        self.assertIn("Opportunities: 6,711 created, 0 updated, 0 unchanged, 2,089 rejected.", pipeline_out)
        self.assertIn("Closed won: 4,238, total value 10,005,534.00", pipeline_out)
        self.assertIn("Closed lost: 2,473, total value 0.00", pipeline_out)

    def test_open_rows_rejected_with_reasons(self):
        _, pipeline_out, _ = self.import_sample()

        rejected = self.rejected_rows(pipeline_out)
        self.assertEqual(len(rejected), 2089)
        self.assertEqual({row["deal_stage"] for row in rejected}, {"Engaging", "Prospecting"})
        for row in rejected:
            self.assertIn("close_value: the value is missing", row["error"])
            self.assertIn("close_date: the close date is missing", row["error"])

    def test_rerun_updates_without_duplicates(self):
        self.import_sample()

        accounts_out, pipeline_out, _ = self.import_sample()

        self.assert_pipeline_totals()
        self.assertEqual(Account.objects.count(), 85)
        self.assertIn("Accounts: 0 created, 0 updated, 85 unchanged, 0 rejected.", accounts_out)
        self.assertIn("Opportunities: 0 created, 0 updated, 6,711 unchanged, 2,089 rejected.", pipeline_out)
