from django.urls import reverse

from accountwise.test import BaseTestCase, stage


class StageEditTests(BaseTestCase):
    def setUp(self):
        self.stage = stage("Proposal")
        self.url = reverse("stages:edit", args=[self.stage.pk])

    def test_members_forbidden(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                get_response = self.client.get(self.url)
                post_response = self.client.post(self.url, {"name": "Offer", "probability": "65"})

                self.assertEqual(get_response.status_code, 403)
                self.assertEqual(post_response.status_code, 403)
                self.stage.refresh_from_db()
                self.assertEqual(self.stage.name, "Proposal")

    def test_admin_renames_and_sets_probability(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "Offer", "probability": "65"})

        self.assertRedirects(response, reverse("stages:list"), fetch_redirect_response=False)
        self.stage.refresh_from_db()
        self.assertEqual(self.stage.name, "Offer")
        self.assertEqual(self.stage.probability, 65)

    def test_fixed_stage_renamed(self):
        won = stage("won")
        self.login(self.admin)

        self.client.post(reverse("stages:edit", args=[won.pk]), {"name": "Signed", "probability": "95"})

        won.refresh_from_db()
        self.assertEqual(won.name, "Signed")
        self.assertEqual(won.probability, 95)

    def test_probability_101_rejected(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "Proposal", "probability": "101"})

        self.assertFormError(
            response.context["form"], "probability", "Enter a probability from 0 to 100, in percent."
        )
        self.stage.refresh_from_db()
        self.assertEqual(self.stage.probability, 60)

    def test_keeping_own_name_allowed(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "Proposal", "probability": "55"})

        self.assertEqual(response.status_code, 302)
        self.stage.refresh_from_db()
        self.assertEqual(self.stage.probability, 55)

    def test_name_of_other_stage_rejected(self):
        self.login(self.admin)

        response = self.client.post(self.url, {"name": "Negotiation", "probability": "60"})

        self.assertIn("already exists", response.context["form"].errors["name"][0])

    def test_missing_stage_not_found(self):
        self.login(self.admin)

        response = self.client.get(reverse("stages:edit", args=[999999]))

        self.assertEqual(response.status_code, 404)
