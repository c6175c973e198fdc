from django.urls import reverse

from accountwise.notifications.models import Channel
from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_contract


class NotificationsApiTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support")

    def test_user_lists_own_notifications(self):
        mine = make_notification(self.owner, self.contract)
        make_notification(self.teammate, self.contract)
        self.login(self.owner)

        response = self.client.get(reverse("api:v1:notification-list"))

        self.assertEqual([n["id"] for n in response.json()["results"]], [mine.pk])

    def test_email_only_is_not_listed(self):
        make_notification(self.owner, self.contract, channels=(Channel.EMAIL,))
        self.login(self.owner)

        response = self.client.get(reverse("api:v1:notification-list"))

        self.assertEqual(response.json()["results"], [])

    def test_user_marks_notification_read(self):
        notification = make_notification(self.owner, self.contract)
        self.login(self.owner)

        response = self.client.post(reverse("api:v1:notification-read", args=[notification.pk]))

        self.assertTrue(response.json()["is_read"])
        notification.refresh_from_db()
        self.assertTrue(notification.is_read)

    def test_others_notification_is_404(self):
        notification = make_notification(self.owner, self.contract)
        self.login(self.admin)

        response = self.client.post(reverse("api:v1:notification-read", args=[notification.pk]))

        self.assertEqual(response.status_code, 404)
        notification.refresh_from_db()
        self.assertFalse(notification.is_read)

    def test_user_marks_all_read(self):
        make_notification(self.owner, self.contract)
        make_notification(self.owner, make_contract(self.account))
        self.login(self.owner)

        response = self.client.post(reverse("api:v1:notification-read-all"))

        self.assertEqual(response.json(), {"marked": 2})
        self.assertFalse(self.owner.notifications.unread().exists())
