from django.urls import reverse

from accountwise.opportunities.models import Stage
from accountwise.test import BaseTestCase, make_opportunity, stage


class StageDeleteTests(BaseTestCase):
    def setUp(self):
        self.stage = stage("Needs analysis")
        self.url = reverse("stages:delete", args=[self.stage.pk])

    def test_members_forbidden(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url)

                self.assertEqual(response.status_code, 403)
                self.assertTrue(Stage.objects.filter(pk=self.stage.pk).exists())

    def test_admin_deletes_unused_stage(self):
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.assertFalse(Stage.objects.filter(pk=self.stage.pk).exists())
        self.assertContains(response, "Stage Needs analysis deleted.")

    def test_used_stage_refused_with_count(self):
        make_opportunity(self.account, stage=self.stage)
        make_opportunity(self.account, stage=self.stage)
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.assertTrue(Stage.objects.filter(pk=self.stage.pk).exists())
        self.assertContains(
            response,
            "2 opportunities use the stage Needs analysis. Move them to another stage first, then delete the stage.",
        )

    def test_single_use_message(self):
        make_opportunity(self.account, stage=self.stage)
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.assertContains(response, "1 opportunity uses the stage Needs analysis. Move it to another stage first")

    def test_fixed_stage_refused(self):
        self.login(self.admin)
        for kind in ("on_hold", "won", "lost"):
            fixed = stage(kind)
            with self.subTest(kind=kind):
                response = self.client.post(reverse("stages:delete", args=[fixed.pk]), follow=True)

                self.assertContains(response, "always exists, so it cannot be deleted")
                self.assertTrue(Stage.objects.filter(pk=fixed.pk).exists())

    def test_get_not_allowed(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.assertTrue(Stage.objects.filter(pk=self.stage.pk).exists())
