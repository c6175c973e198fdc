import datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.tests.support import WizardTestCase


class ImportResultTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(
            self.owner, "name\nGlobex\nInitech\n", status=ImportStatus.RUNNING, processed_rows=1, phase="checking"
        )
        self.url = reverse("transfer:import-result", args=[self.run.pk])

    def finish(self, **fields):
        fields = {"status": ImportStatus.DONE, "created_count": 2, "processed_rows": 2, **fields}
        ImportRun.objects.filter(pk=self.run.pk).update(**fields)

    def test_creator_sees_result(self):
        self.login(self.owner)

        self.assertContains(self.client.get(self.url), "Accounts from import.csv")

    def test_administrator_sees_members_run(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_other_member_gets_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_running_shows_progress(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Checking rows: 1 of 2")
        self.assertContains(response, 'aria-valuenow="50"')

    def test_running_partial_polls(self):
        self.login(self.owner)

        response = self.client.get(self.url, HTTP_HX_REQUEST="true")

        self.assertTemplateUsed(response, "transfer/_import_status.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, 'hx-trigger="every 1s"')

    def test_varies_on_htmx(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertIn("HX-Request", response["Vary"])

    def test_finished_stops_polling(self):
        self.finish()
        self.login(self.owner)

        response = self.client.get(self.url, HTTP_HX_REQUEST="true")

        self.assertNotContains(response, "hx-trigger")
        self.assertContains(response, "Imported 2 of 2 rows.")

    def test_queued_page_starts_import_once(self):
        ImportRun.objects.filter(pk=self.run.pk).update(status=ImportStatus.QUEUED)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, f'hx-post="{reverse("transfer:import-run", args=[self.run.pk])}" hx-trigger="load"', count=1)

    def test_queued_page_of_another_user_does_not_start(self):
        ImportRun.objects.filter(pk=self.run.pk).update(status=ImportStatus.QUEUED)
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertNotContains(response, "hx-trigger=\"load\"")

    def test_invalid_run_lists_rows(self):
        summary = {"errors": [{"line": 3, "column": "Website", "message": "is not a web address"}], "error_count": 1}
        self.run.rejects_file.save("r.csv", ContentFile(b"x"), save=False)
        self.finish(status=ImportStatus.INVALID, rejected_count=1, created_count=1, summary=summary,
                    rejects_file=self.run.rejects_file.name)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Nothing was imported: 1 of 2 rows is invalid.")
        self.assertContains(response, "<td>Website: is not a web address</td>", html=True)
        self.assertContains(response, reverse("transfer:import-rejects", args=[self.run.pk]))

    def test_failed_run_shows_error(self):
        self.finish(status=ImportStatus.FAILED, error="The database rejected the import, so nothing was written.")
        self.login(self.owner)

        self.assertContains(self.client.get(self.url), "The database rejected the import, so nothing was written.")

    def test_stage_totals_in_currency(self):
        self.finish(summary={"by_stage_kind": {"won": {"count": 4238, "value": "10005534.00"}}})
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "<td>Closed won</td><td class=\"aw-number\">4,238</td><td class=\"aw-number\">$10,005,534.00</td>", html=True)

    def test_stale_run_offers_restart(self):
        ImportRun.objects.filter(pk=self.run.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "The import stopped without finishing")
        self.assertContains(response, reverse("transfer:import-restart", args=[self.run.pk]))
        self.assertNotContains(response, "hx-trigger")

    def test_own_draft_continues_wizard(self):
        ImportRun.objects.filter(pk=self.run.pk).update(status=ImportStatus.DRAFT)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(response, reverse("transfer:import-columns", args=[self.run.pk]))

    def test_fixed_number_of_queries(self):
        self.finish()
        self.login(self.owner)
        self.client.get(self.url)

        with self.assertNumQueries(4):
            self.client.get(self.url, HTTP_HX_REQUEST="true")
