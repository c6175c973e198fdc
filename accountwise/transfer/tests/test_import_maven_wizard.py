"""Import the Maven Analytics CRM sample through the browser wizard: the same numbers as the command line.

The data set is read where it lies, beside the repository, and never copied
in; the tests skip when it is missing.
"""

import csv
import io
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity, StageKind
from accountwise.test import make_user
from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.users.models import Role

MAVEN = Path(settings.BASE_DIR).parent.parent / "shared" / "datasets" / "maven-crm"


@unittest.skipUnless((MAVEN / "sales_pipeline.csv").exists(), f"the Maven CRM sample is not at {MAVEN}")
class MavenWizardTests(TestCase):
    # A plain TestCase: the shared cast's account, Acme Corporation, is also in the sample.

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("alice", role=Role.ADMINISTRATOR)

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        folders = override_settings(DATA_DIR=Path(folder.name) / "data", MEDIA_ROOT=Path(folder.name) / "media")
        folders.enable()
        self.addCleanup(folders.disable)
        self.client.force_login(self.admin)

    def import_file(self, entity: str, name: str, columns: dict | None = None, stages: dict | None = None) -> ImportRun:
        """Go through every step as a person would: upload, columns, stages, preview, start, run."""
        upload = SimpleUploadedFile(name, (MAVEN / name).read_bytes())
        self.client.post(reverse("transfer:import-start"), {"entity": entity, "file": upload})
        run = ImportRun.objects.latest("pk")

        form = self.client.get(reverse("transfer:import-columns", args=[run.pk])).context["form"]
        data = {name: form[name].value() for name in form.column_names}
        data.update(columns or {})
        self.client.post(reverse("transfer:import-columns", args=[run.pk]), data)
        if stages is not None:
            self.client.post(reverse("transfer:import-stages", args=[run.pk]), stages)

        preview = self.client.get(reverse("transfer:import-preview", args=[run.pk]))
        self.assertEqual(preview.status_code, 200)
        self.client.post(reverse("transfer:import-preview", args=[run.pk]), {"skip_invalid": "on"})
        self.client.post(reverse("transfer:import-run", args=[run.pk]), HTTP_HX_REQUEST="true")
        run.refresh_from_db()
        return run

    def import_sample(self) -> tuple[ImportRun, ImportRun]:
        accounts = self.import_file("accounts", "accounts.csv")
        # product names each opportunity; Engaging is mapped, but its rows lack a value and a close date anyway.
        pipeline = self.import_file(
            "opportunities", "sales_pipeline.csv", columns={"column_2": "name", "create_owners": "on"},
            stages={"stage_0": "Prospecting"},
        )
        return accounts, pipeline

    def test_accounts_with_parents(self):
        accounts, _ = self.import_sample()

        self.assertEqual((accounts.status, accounts.created_count, accounts.rejected_count), (ImportStatus.DONE, 85, 0))
        self.assertEqual(Account.objects.count(), 85)
        self.assertEqual(Account.objects.filter(parent__isnull=False).count(), 15)
        self.assertEqual(accounts.summary["with_parent"], 15)

    def test_won_and_lost_opportunities(self):
        _, pipeline = self.import_sample()

        won = Opportunity.objects.filter(stage__kind=StageKind.WON)
        self.assertEqual(won.count(), 4238)
        self.assertEqual(won.totals()["total_value"], Decimal("10005534.00"))
        self.assertEqual(Opportunity.objects.filter(stage__kind=StageKind.LOST).count(), 2473)
        self.assertEqual((pipeline.created_count, pipeline.rejected_count), (6711, 2089))
        self.assertEqual(pipeline.summary["by_stage_kind"]["won"], {"count": 4238, "value": "10005534.00"})

    def test_rejects_download(self):
        _, pipeline = self.import_sample()

        response = self.client.get(reverse("transfer:import-rejects", args=[pipeline.pk]))

        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual(len(rows), 2089)
        self.assertEqual({row["deal_stage"] for row in rows}, {"Engaging", "Prospecting"})

    def test_result_page_shows_totals(self):
        _, pipeline = self.import_sample()

        response = self.client.get(reverse("transfer:import-result", args=[pipeline.pk]))

        self.assertContains(response, "Imported 6,711 of 8,800 rows; 2,089 invalid rows were skipped")
        self.assertContains(response, "$10,005,534.00")

    def test_rerun_updates_nothing(self):
        self.import_sample()

        accounts, pipeline = self.import_sample()

        self.assertEqual((accounts.created_count, accounts.unchanged_count), (0, 85))
        self.assertEqual((pipeline.created_count, pipeline.unchanged_count), (0, 6711))
        self.assertEqual(Opportunity.objects.count(), 6711)
