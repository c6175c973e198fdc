from django.urls import reverse

from accountwise.transfer.actions import CREATE_STAGE
from accountwise.transfer.tests.support import WizardTestCase

DEALS = (
    "Name,Account,Stage,Amount,Close date\n"
    "A,Acme Corporation,Engaging,10,2026-01-31\n"
    "B,Acme Corporation,engaging,10,2026-01-31\n"
    "C,Acme Corporation,Id. Decision Makers,10,2026-01-31\n"
    "D,Acme Corporation,Closed/Won,10,2026-01-31\n"
)
MAPPING = {"Name": "name", "Account": "account", "Stage": "stage", "Amount": "value", "Close date": "close_date"}


class ImportStagesTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)
        self.run = self.make_run(self.owner, DEALS, entity="opportunities", mapping=MAPPING)
        self.url = reverse("transfer:import-stages", args=[self.run.pk])

    def test_unknown_stages_listed_with_rows(self):
        response = self.client.get(self.url)

        form = response.context["form"]
        self.assertEqual(form.names, ["Engaging", "Id. Decision Makers"])
        self.assertEqual([form[name].field.row_count for name in form.fields], [2, 1])

    def test_other_member_gets_404(self):
        self.login(self.outsider)

        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_mapped_to_existing_stage(self):
        response = self.client.post(self.url, {"stage_0": "Prospecting", "stage_1": "Qualification"})

        self.assertRedirects(response, reverse("transfer:import-preview", args=[self.run.pk]), fetch_redirect_response=False)
        self.run.refresh_from_db()
        self.assertEqual(self.run.options["stage_map"], {"Engaging": "Prospecting", "Id. Decision Makers": "Qualification"})
        self.assertFalse(self.run.options["create_stages"])

    def test_every_stage_needs_a_choice(self):
        response = self.client.post(self.url, {"stage_0": "Prospecting"})

        self.assertEqual(response.context["form"].errors, {"stage_1": ["Choose the stage it becomes."]})

    def test_member_cannot_create_stage(self):
        response = self.client.post(self.url, {"stage_0": CREATE_STAGE, "stage_1": "Qualification"})

        self.assertContains(response, "Select a valid choice.")
        self.assertContains(response, "Only an administrator can add stages")

    def test_administrator_creates_stage(self):
        run = self.make_run(self.admin, DEALS, entity="opportunities", mapping=MAPPING)
        self.login(self.admin)

        self.client.post(reverse("transfer:import-stages", args=[run.pk]), {"stage_0": CREATE_STAGE, "stage_1": "Qualification"})

        run.refresh_from_db()
        self.assertEqual(run.options["stage_map"], {"Id. Decision Makers": "Qualification"})
        self.assertTrue(run.options["create_stages"])

    def test_choices_shown_again(self):
        self.client.post(self.url, {"stage_0": "Prospecting", "stage_1": "Qualification"})

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["stage_0"].value(), "Prospecting")

    def test_no_unknown_stage_skips_step(self):
        run = self.make_run(self.owner, "Name,Account,Stage,Amount,Close date\nA,Acme Corporation,Won,1,2026-01-31\n",
                            entity="opportunities", mapping=MAPPING)

        response = self.client.get(reverse("transfer:import-stages", args=[run.pk]))

        self.assertRedirects(response, reverse("transfer:import-preview", args=[run.pk]), fetch_redirect_response=False)
