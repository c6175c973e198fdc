from django.urls import reverse

from accountwise.notifications.models import Notification, RenewalRule
from accountwise.notifications.tests.factories import make_notification, make_rule
from accountwise.test import BaseTestCase, make_contract


class RuleDeleteTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule()
        self.url = reverse("notifications:rule-delete", args=[self.rule.pk])

    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertTrue(RenewalRule.objects.exists())

    def test_administrator_deletes(self):
        self.login(self.admin)

        response = self.client.post(self.url, follow=True)

        self.assertFalse(RenewalRule.objects.exists())
        self.assertContains(response, "Rule Standard renewals deleted.")

    def test_sent_notifications_stay(self):
        notification = make_notification(self.owner, make_contract(self.account), rule=self.rule)
        self.login(self.admin)

        self.client.post(self.url)

        notification.refresh_from_db()
        self.assertIsNone(notification.rule)
        self.assertEqual(Notification.objects.count(), 1)

    def test_asks_before_deleting(self):
        self.login(self.admin)

        response = self.client.get(reverse("notifications:rules"))

        self.assertContains(response, 'data-aw-confirm="Delete the rule Standard renewals?')

    def test_get_not_allowed(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(RenewalRule.objects.exists())
