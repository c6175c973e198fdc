from django.urls import reverse

from accountwise.opportunities.models import Stage, StageKind
from accountwise.test import BaseTestCase


class StageCreateTests(BaseTestCase):
    url = reverse("stages:create")

    def test_members_forbidden(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, {"name": "Pilot", "probability": "50"})

                self.assertEqual(response.status_code, 403)
                self.assertFalse(Stage.objects.filter(name="Pilot").exists())

    def test_admin_adds_open_stage(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "Pilot", "probability": "50"})

        self.assertRedirects(response, reverse("stages:list"), fetch_redirect_response=False)
        pilot = Stage.objects.get(name="Pilot")
        self.assertEqual(pilot.kind, StageKind.OPEN)
        self.assertEqual(pilot.probability, 50)
        self.assertFalse(pilot.is_retired)

    def test_added_after_open_stages(self):
        self.login(self.admin)

        self.client.post(self.url, {"name": "Pilot", "probability": "50"})

        names = list(Stage.objects.values_list("name", flat=True))
        self.assertEqual(names[names.index("Pilot") - 1], "Negotiation")
        self.assertEqual(names[names.index("Pilot") + 1], "On hold")

    def test_probability_out_of_range_rejected(self):
        self.login(self.admin)
        for probability in ("101", "-1", "half"):
            with self.subTest(probability=probability):
                response = self.client.post(self.url, {"name": "Pilot", "probability": probability})

                self.assertFormError(
                    response.context["form"], "probability", "Enter a probability from 0 to 100, in percent."
                )
                self.assertContains(response, f'value="{probability}"')
                self.assertFalse(Stage.objects.filter(name="Pilot").exists())

    def test_duplicate_name_rejected(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "proposal", "probability": "30"})

        self.assertFormError(
            response.context["form"], "name", "A stage named Proposal already exists; choose another name."
        )
        self.assertEqual(Stage.objects.filter(name__iexact="proposal").count(), 1)

    def test_missing_name_rejected(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "", "probability": "30"})

        self.assertFormError(response.context["form"], "name", "Enter a name for the stage.")

    def test_get_not_allowed(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
