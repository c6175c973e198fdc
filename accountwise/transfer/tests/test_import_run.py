import csv
import io

from django.urls import reverse

from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity, Stage
from accountwise.transfer.models import ImportStatus
from accountwise.transfer.tests.support import WizardTestCase

ACCOUNTS_FILE = "Name,Website\nGlobex,globex.com\nInitech,not a site\nHooli,hooli.xyz\n"
MAPPING = {"Name": "name", "Website": "website"}


class ImportRunTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def queued_run(self, text=ACCOUNTS_FILE, **fields):
        fields.setdefault("mapping", MAPPING)
        return self.make_run(self.owner, text, status=ImportStatus.QUEUED, **fields)

    def run_import(self, run, **headers):
        return self.client.post(reverse("transfer:import-run", args=[run.pk]), **headers)

    def rejects_rows(self, run) -> list[list[str]]:
        with run.rejects_file.open("rb") as file:
            return list(csv.reader(io.StringIO(file.read().decode("utf-8-sig"), newline="")))

    def test_skip_invalid_imports_valid_rows(self):
        run = self.queued_run(options={"skip_invalid": True})

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual((run.created_count, run.rejected_count, run.row_count), (2, 1, 3))
        self.assertEqual(set(Account.objects.filter(owner=self.owner).values_list("name", flat=True)), {"Globex", "Hooli", "Acme Corporation"})

    def test_rejects_file_holds_rejected_rows(self):
        run = self.queued_run(options={"skip_invalid": True})

        self.run_import(run)

        run.refresh_from_db()
        self.assertRegex(run.rejects_file.name, r"^imports/[0-9a-f]{32}\.csv$")
        self.assertEqual(self.rejects_rows(run), [
            ["Name", "Website", "error"],
            ["Initech", "not a site", 'Website: "not a site" is not a web address; write it as example.com or https://example.com'],
        ])

    def test_all_or_nothing_writes_nothing(self):
        run = self.queued_run()

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.INVALID)
        self.assertEqual(run.rejected_count, 1)
        self.assertFalse(Account.objects.filter(name="Globex").exists())
        self.assertEqual(len(self.rejects_rows(run)), 2)

    def test_first_errors_kept_for_result_page(self):
        run = self.queued_run()

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.summary["errors"][0]["line"], 3)
        self.assertEqual(run.summary["errors"][0]["column"], "Website")

    def test_runs_once(self):
        run = self.queued_run(options={"skip_invalid": True})
        self.run_import(run)

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.created_count, 2)
        self.assertEqual(Account.objects.filter(name="Globex").count(), 1)

    def test_draft_not_run(self):
        run = self.make_run(self.owner, ACCOUNTS_FILE, mapping=MAPPING)

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.DRAFT)
        self.assertFalse(Account.objects.filter(name="Globex").exists())

    def test_htmx_gets_no_content(self):
        run = self.queued_run(options={"skip_invalid": True})

        response = self.run_import(run, HTTP_HX_REQUEST="true")

        self.assertEqual(response.status_code, 204)

    def test_form_post_redirects_to_result(self):
        run = self.queued_run(options={"skip_invalid": True})

        response = self.run_import(run)

        self.assertRedirects(response, reverse("transfer:import-result", args=[run.pk]))

    def test_other_member_gets_404(self):
        run = self.queued_run()
        self.login(self.teammate)

        response = self.run_import(run)

        self.assertEqual(response.status_code, 404)
        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.QUEUED)

    def test_administrator_cannot_start_others_run(self):
        run = self.queued_run()
        self.login(self.admin)

        self.assertEqual(self.run_import(run).status_code, 404)

    def test_get_not_allowed(self):
        run = self.queued_run()

        self.assertEqual(self.client.get(reverse("transfer:import-run", args=[run.pk])).status_code, 405)

    def test_opportunity_totals_kept(self):
        text = "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Won,\"1,500.25\",2026-01-31\nB,Acme Corporation,Lost,10,2026-01-31\n"
        mapping = {"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"}
        run = self.queued_run(text, entity="opportunities", mapping=mapping)

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.summary["by_stage_kind"], {"won": {"count": 1, "value": "1500.25"}, "lost": {"count": 1, "value": "10.00"}})

    def test_new_stage_created_on_request(self):
        text = "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Engaging,1,2026-01-31\n"
        mapping = {"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"}
        run = self.make_run(self.admin, text, entity="opportunities", mapping=mapping, status=ImportStatus.QUEUED,
                            options={"create_stages": True, "stage_map": {}})
        self.login(self.admin)

        self.run_import(run)

        self.assertEqual(Opportunity.objects.get().stage.name, "Engaging")

    def test_vanished_stage_fails_run(self):
        Stage.objects.create(name="Engaging", probability=5, position=5)
        text = "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Talking,1,2026-01-31\n"
        mapping = {"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"}
        run = self.queued_run(text, entity="opportunities", mapping=mapping, options={"stage_map": {"Talking": "Engaging"}})
        Stage.objects.filter(name="Engaging").delete()

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn('there is no stage named "Engaging"', run.error)
        self.assertIn("Nothing was imported", run.error)

    def test_rows_limited_by_permissions(self):
        run = self.make_run(
            self.outsider, "Name,Account\nAda,Acme Corporation\n", entity="contacts", status=ImportStatus.QUEUED,
            mapping={"Name": "full_name", "Account": "account"},
        )
        self.login(self.outsider)

        self.run_import(run)

        run.refresh_from_db()
        self.assertEqual(run.status, ImportStatus.INVALID)
        self.assertIn("you may not change the account", run.summary["errors"][0]["message"])
