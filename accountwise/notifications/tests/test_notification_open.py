from django.urls import reverse

from accountwise.notifications.models import Notification
from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_contract


class NotificationOpenTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", owner=self.owner)
        self.notification = make_notification(self.owner, self.contract)
        self.url = reverse("notifications:open", args=[self.notification.pk])

    def test_redirects_to_contract(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(response, self.contract.get_absolute_url(), fetch_redirect_response=False)

    def test_marks_read(self):
        self.login(self.owner)

        self.client.get(self.url)

        self.notification.refresh_from_db()
        self.assertIsNotNone(self.notification.read_at)

    def test_keeps_first_read_time(self):
        self.login(self.owner)
        self.client.get(self.url)
        self.notification.refresh_from_db()
        first = self.notification.read_at

        self.client.get(self.url)

        self.notification.refresh_from_db()
        self.assertEqual(self.notification.read_at, first)

    def test_others_not_found(self):
        for user in (self.outsider, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 404)
        self.notification.refresh_from_db()
        self.assertIsNone(self.notification.read_at)

    def test_offsite_url_goes_to_list(self):
        Notification.objects.filter(pk=self.notification.pk).update(url="https://example.com/")
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(response, reverse("notifications:list"), fetch_redirect_response=False)
