from django.urls import reverse

from accountwise.notifications.tests.factories import make_rule
from accountwise.test import BaseTestCase


class RuleDeactivateTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule()
        self.url = reverse("notifications:rule-deactivate", args=[self.rule.pk])

    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.post(self.url).status_code, 403)
        self.rule.refresh_from_db()
        self.assertTrue(self.rule.is_active)

    def test_administrator_deactivates(self):
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.rule.refresh_from_db()
        self.assertFalse(self.rule.is_active)
        self.assertContains(response, "Rule Standard renewals deactivated")

    def test_get_not_allowed(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.rule.refresh_from_db()
        self.assertTrue(self.rule.is_active)


class RuleActivateTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(is_active=False)
        self.url = reverse("notifications:rule-activate", args=[self.rule.pk])

    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.post(self.url).status_code, 403)
        self.rule.refresh_from_db()
        self.assertFalse(self.rule.is_active)

    def test_administrator_activates(self):
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.rule.refresh_from_db()
        self.assertTrue(self.rule.is_active)
        self.assertContains(response, "Rule Standard renewals is active")
