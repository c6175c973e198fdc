from django.urls import reverse

from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_contract

HTMX = {"HTTP_HX_REQUEST": "true"}


class NotificationMarkReadTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", owner=self.owner)
        self.notification = make_notification(self.owner, self.contract)
        self.url = reverse("notifications:mark-read", args=[self.notification.pk])

    def test_marks_own_as_read(self):
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertRedirects(response, reverse("notifications:list"), fetch_redirect_response=False)
        self.notification.refresh_from_db()
        self.assertIsNotNone(self.notification.read_at)

    def test_others_not_found(self):
        for user in (self.outsider, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url)

                self.assertEqual(response.status_code, 404)
        self.notification.refresh_from_db()
        self.assertIsNone(self.notification.read_at)

    def test_get_not_allowed(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.notification.refresh_from_db()
        self.assertIsNone(self.notification.read_at)

    def test_redirect_keeps_filter(self):
        self.login(self.owner)

        response = self.client.post(f"{self.url}?show=unread")

        self.assertRedirects(response, f"{reverse('notifications:list')}?show=unread", fetch_redirect_response=False)

    def test_htmx_refreshes_list_and_bell(self):
        make_notification(self.owner, self.contract, days_before=7)
        self.login(self.owner)

        response = self.client.post(f"{self.url}?show=unread", **HTMX)

        self.assertTemplateUsed(response, "notifications/_notification_list.html")
        self.assertEqual(len(response.context["page"].object_list), 1)
        self.assertEqual(response.context["notification_unread_count"], 1)
        self.assertContains(response, 'data-testid="unread-count">1</span>', html=False)
        self.assertIn("HX-Request", response["Vary"])
