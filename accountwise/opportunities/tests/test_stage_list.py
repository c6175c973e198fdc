from django.urls import reverse

from accountwise.opportunities.models import Stage
from accountwise.test import BaseTestCase, make_opportunity, stage


class StageListTests(BaseTestCase):
    url = reverse("stages:list")

    def test_members_forbidden(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 403)

    def test_admin_sees_stages_in_order(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        names = [item.name for item in response.context["stages"]]
        self.assertEqual(names, list(Stage.objects.values_list("name", flat=True)))
        self.assertEqual(names[-3:], ["On hold", "Closed won", "Closed lost"])

    def test_shows_usage_count(self):
        make_opportunity(self.account, stage=stage("Proposal"))
        make_opportunity(self.account, stage=stage("Proposal"))
        self.login(self.admin)

        response = self.client.get(self.url)

        counts = {item.name: item.opportunity_count for item in response.context["stages"]}
        self.assertEqual(counts["Proposal"], 2)
        self.assertEqual(counts["Negotiation"], 0)

    def test_fixed_stages_offer_no_delete_or_retire(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        for kind in ("on_hold", "won", "lost"):
            fixed = stage(kind)
            with self.subTest(kind=kind):
                self.assertNotContains(response, reverse("stages:delete", args=[fixed.pk]))
                self.assertNotContains(response, reverse("stages:retire", args=[fixed.pk]))
                self.assertContains(response, reverse("stages:edit", args=[fixed.pk]))

    def test_open_stage_offers_delete_and_retire(self):
        open_stage = stage("Proposal")
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, reverse("stages:delete", args=[open_stage.pk]))
        self.assertContains(response, reverse("stages:retire", args=[open_stage.pk]))
