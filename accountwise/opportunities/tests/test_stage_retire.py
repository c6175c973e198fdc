from django.urls import reverse

from accountwise.test import BaseTestCase, make_opportunity, stage


class StageRetireTests(BaseTestCase):
    def setUp(self):
        self.stage = stage("Qualification")
        self.url = reverse("stages:retire", args=[self.stage.pk])

    def test_members_forbidden(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url)

                self.assertEqual(response.status_code, 403)
                self.stage.refresh_from_db()
                self.assertFalse(self.stage.is_retired)

    def test_admin_retires_open_stage(self):
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.stage.refresh_from_db()
        self.assertTrue(self.stage.is_retired)
        self.assertContains(response, "Stage Qualification retired.")

    def test_opportunities_keep_retired_stage(self):
        opportunity = make_opportunity(self.account, stage=self.stage)
        self.login(self.admin)

        self.client.post(self.url)

        opportunity.refresh_from_db()
        self.assertEqual(opportunity.stage, self.stage)

    def test_fixed_stage_refused(self):
        self.login(self.admin)
        for kind in ("on_hold", "won", "lost"):
            fixed = stage(kind)
            with self.subTest(kind=kind):
                response = self.client.post(reverse("stages:retire", args=[fixed.pk]), follow=True)

                self.assertContains(response, "always exists, so it cannot be retired")
                fixed.refresh_from_db()
                self.assertFalse(fixed.is_retired)


class StageUnretireTests(BaseTestCase):
    def setUp(self):
        self.stage = stage("Qualification")
        self.stage.is_retired = True
        self.stage.save()
        self.url = reverse("stages:unretire", args=[self.stage.pk])

    def test_members_forbidden(self):
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.stage.refresh_from_db()
        self.assertTrue(self.stage.is_retired)

    def test_admin_unretires(self):
        self.login(self.admin)

        self.client.post(self.url)

        self.stage.refresh_from_db()
        self.assertFalse(self.stage.is_retired)
