from django.urls import reverse

from accountwise.notifications.models import Notification
from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_contract

URL = reverse("notifications:mark-all-read")
HTMX = {"HTTP_HX_REQUEST": "true"}


class NotificationMarkAllReadTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", owner=self.owner)

    def test_marks_all_own(self):
        for days in (90, 30, 7):
            make_notification(self.owner, self.contract, days_before=days)
        self.login(self.owner)

        response = self.client.post(URL, follow=True)

        self.assertFalse(Notification.objects.filter(recipient=self.owner).unread().exists())
        self.assertContains(response, "Marked 3 notifications as read.")

    def test_others_untouched(self):
        theirs = make_notification(self.teammate, self.contract)
        make_notification(self.owner, self.contract)
        self.login(self.owner)

        self.client.post(URL)

        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_nothing_unread(self):
        self.login(self.outsider)

        response = self.client.post(URL, follow=True)

        self.assertContains(response, "Nothing was unread.")

    def test_get_not_allowed(self):
        make_notification(self.owner, self.contract)
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertEqual(response.status_code, 405)
        self.assertTrue(Notification.objects.unread().exists())

    def test_htmx_refreshes_list_and_bell(self):
        make_notification(self.owner, self.contract)
        self.login(self.owner)

        response = self.client.post(URL, **HTMX)

        self.assertTemplateUsed(response, "notifications/_notification_list.html")
        self.assertContains(response, "Marked 1 notification as read.")
        self.assertContains(response, 'aria-label="Notifications, 0 unread"')
        self.assertNotContains(response, 'data-testid="unread-count"')
