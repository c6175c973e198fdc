from django.urls import reverse

from accountwise.accounts.models import Account
from accountwise.transfer.models import ImportStatus
from accountwise.transfer.tests.support import WizardTestCase

ACCOUNTS_FILE = (
    "Name,Industry,Website\n"
    "Globex,Energy,globex.com\n"
    "<b>Initech</b>,Software,not a site\n"
    "=SUM(A1),Finance,\n"
)
MAPPING = {"Name": "name", "Industry": "industry", "Website": "website"}


class ImportPreviewTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)
        self.run = self.make_run(self.owner, ACCOUNTS_FILE, mapping=MAPPING)
        self.url = reverse("transfer:import-preview", args=[self.run.pk])

    def test_counts_shown(self):
        response = self.client.get(self.url)

        result = response.context["result"]
        self.assertEqual((result.row_count, result.created, result.rejected), (3, 2, 1))

    def test_row_errors_shown(self):
        response = self.client.get(self.url)

        self.assertContains(response, '<strong>Website:</strong> &quot;not a site&quot; is not a web address')

    def test_text_escaped(self):
        response = self.client.get(self.url)

        self.assertContains(response, "&lt;b&gt;Initech&lt;/b&gt;")
        self.assertNotContains(response, "<b>Initech</b>")

    def test_formula_text_shown_as_text(self):
        response = self.client.get(self.url)

        self.assertContains(response, ">=SUM(A1)</td>")

    def test_writes_nothing(self):
        self.client.get(self.url)

        self.assertFalse(Account.objects.filter(name="Globex").exists())

    def test_invalid_rows_offer_skipping(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Import the valid rows, skip the invalid ones")
        self.assertContains(response, "Upload a corrected file")

    def test_valid_file_offers_import(self):
        run = self.make_run(self.owner, "Name\nGlobex\n", mapping={"Name": "name"})

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertContains(response, "Import 1 account</button>")

    def test_later_invalid_rows_listed(self):
        rows = "".join(f"Company {index},,\n" for index in range(25))
        run = self.make_run(self.owner, "Name,Industry,Website\n" + rows + "Bad,,nope\n", mapping=MAPPING)

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertEqual(response.context["later_rows"], [(27, ['Website: "nope" is not a web address; write it as example.com or https://example.com'])])

    def test_ambiguous_date_shown(self):
        run = self.make_run(
            self.owner, "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Won,\"1,000\",03/04/2026\n",
            entity="opportunities",
            mapping={"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"},
        )

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertContains(response, "could be day/month or month/day")

    def test_date_format_option_used(self):
        run = self.make_run(
            self.owner, "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Won,\"1,000\",03/04/2026\n",
            entity="opportunities", options={"date_format": "%d/%m/%Y"},
            mapping={"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"},
        )

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertEqual(response.context["result"].errors, [])

    def test_other_member_gets_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_start_queues_run(self):
        response = self.client.post(self.url)

        self.assertRedirects(response, reverse("transfer:import-result", args=[self.run.pk]), fetch_redirect_response=False)
        self.run.refresh_from_db()
        self.assertEqual(self.run.status, ImportStatus.QUEUED)
        self.assertFalse(self.run.options["skip_invalid"])

    def test_start_skipping_invalid(self):
        self.client.post(self.url, {"skip_invalid": "on"})

        self.run.refresh_from_db()
        self.assertTrue(self.run.options["skip_invalid"])

    def test_stale_mapping_sends_back_to_columns(self):
        self.run.mapping = {"Company": "name"}
        self.run.save()

        response = self.client.get(self.url)

        self.assertRedirects(response, reverse("transfer:import-columns", args=[self.run.pk]), fetch_redirect_response=False)


class ImportPreviewHintTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def test_column_failing_every_row_named(self):
        run = self.make_run(self.owner, "name,type\nGlobex,Customer\nInitech,Partner\n", mapping={"name": "name", "type": "type"})

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertEqual(response.context["failing_columns"], ["type"])
        self.assertContains(response, "Every row has an error in the column <strong>type</strong>.")

    def test_nothing_valid_offers_no_import(self):
        run = self.make_run(self.owner, "name,type\nGlobex,Customer\nInitech,Partner\n", mapping={"name": "name", "type": "type"})

        response = self.client.get(reverse("transfer:import-preview", args=[run.pk]))

        self.assertContains(response, "No row is valid, so there is nothing to import.")
        self.assertNotContains(response, "Import the valid rows")
