from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.notifications.models import Channel
from accountwise.notifications.tests.factories import make_notification
from accountwise.notifications.views import PAGE_SIZE
from accountwise.test import BaseTestCase, make_contract

URL = reverse("notifications:list")
HTMX = {"HTTP_HX_REQUEST": "true"}


class NotificationListTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", owner=self.owner)

    def _listed(self, response) -> list:
        return list(response.context["page"].object_list)

    def test_every_user_sees_own_list(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                mine = make_notification(user, self.contract)
                self.login(user)

                response = self.client.get(URL)

                self.assertEqual(response.status_code, 200)
                self.assertEqual(self._listed(response), [mine])

    def test_others_notifications_hidden(self):
        make_notification(self.teammate, self.contract)
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertEqual(self._listed(response), [])
        self.assertContains(response, "No notifications yet.")

    def test_email_only_not_listed(self):
        make_notification(self.owner, self.contract, channels=[Channel.EMAIL])
        delivered_in_app = make_notification(
            self.owner, self.contract, channels=[Channel.EMAIL, Channel.IN_APP], days_before=7
        )
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertEqual(self._listed(response), [delivered_in_app])

    def test_newest_first(self):
        older = make_notification(self.owner, self.contract, days_before=90)
        newer = make_notification(self.owner, self.contract, days_before=30)
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertEqual(self._listed(response), [newer, older])

    def test_links_through_open_view(self):
        notification = make_notification(self.owner, self.contract)
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertContains(response, f'href="{reverse("notifications:open", args=[notification.pk])}"')
        self.assertContains(response, notification.message)

    def test_unread_marked_new(self):
        make_notification(self.owner, self.contract)
        make_notification(self.owner, self.contract, read=True, days_before=90)
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertContains(response, ">New</span>", count=1)
        self.assertContains(response, 'aria-label="Mark as read:', count=1)

    def test_unread_filter(self):
        unread = make_notification(self.owner, self.contract)
        make_notification(self.owner, self.contract, read=True, days_before=90)
        self.login(self.owner)

        response = self.client.get(f"{URL}?show=unread")

        self.assertEqual(self._listed(response), [unread])

    def test_unknown_filter_shows_all(self):
        make_notification(self.owner, self.contract, read=True)
        self.login(self.owner)

        response = self.client.get(f"{URL}?show=bogus")

        self.assertEqual(response.context["show"], "all")
        self.assertEqual(len(self._listed(response)), 1)

    def test_all_read_empty_state(self):
        make_notification(self.owner, self.contract, read=True)
        self.login(self.owner)

        response = self.client.get(f"{URL}?show=unread")

        self.assertContains(response, "You have read every notification.")

    def test_pages(self):
        for days in range(1, PAGE_SIZE + 6):
            make_notification(self.owner, self.contract, days_before=days)
        self.login(self.owner)

        first = self.client.get(URL)
        second = self.client.get(f"{URL}?page=2")

        self.assertEqual(len(self._listed(first)), PAGE_SIZE)
        self.assertEqual(len(self._listed(second)), 5)
        self.assertContains(first, "Page 1 of 2")

    def test_htmx_returns_list_only(self):
        make_notification(self.owner, self.contract)
        self.login(self.owner)

        response = self.client.get(f"{URL}?show=unread", **HTMX)

        self.assertTemplateUsed(response, "notifications/_notification_list.html")
        self.assertTemplateNotUsed(response, "notifications/notification_list.html")
        self.assertContains(response, 'id="notification-bell"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertIn("HX-Request", response["Vary"])

    def test_query_count_fixed(self):
        Organisation.get()
        make_notification(self.owner, self.contract)
        self.login(self.owner)
        # Session, user, organisation, page count, page rows, unread count.
        with self.assertNumQueries(6):
            self.client.get(URL)
        for number in range(10):
            other = make_contract(self.account, f"Contract {number}")
            make_notification(self.owner, other)

        with self.assertNumQueries(6):
            response = self.client.get(URL)

        self.assertEqual(len(self._listed(response)), 11)
