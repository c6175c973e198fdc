from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.notifications.models import Channel
from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_contract

PAGES = ["accounts:list", "notifications:settings", "notifications:list"]


class NotificationBellTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", owner=self.owner)

    def test_count_on_every_page(self):
        make_notification(self.owner, self.contract, days_before=30)
        make_notification(self.owner, self.contract, days_before=7)
        self.login(self.owner)

        for name in PAGES:
            with self.subTest(page=name):
                response = self.client.get(reverse(name))

                self.assertContains(response, 'data-testid="unread-count">2</span>', html=False)
                self.assertContains(response, 'aria-label="Notifications, 2 unread"')

        response = self.client.get(self.account.get_absolute_url())
        self.assertContains(response, 'data-testid="unread-count">2</span>', html=False)

    def test_links_to_list(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, f'id="notification-bell" href="{reverse("notifications:list")}"')

    def test_no_badge_when_all_read(self):
        make_notification(self.owner, self.contract, read=True)
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertNotContains(response, 'data-testid="unread-count"')
        self.assertContains(response, 'aria-label="Notifications, 0 unread"')

    def test_counts_own_in_app_unread_only(self):
        make_notification(self.owner, self.contract, days_before=90)
        make_notification(self.owner, self.contract, days_before=60, read=True)
        make_notification(self.owner, self.contract, days_before=30, channels=[Channel.EMAIL])
        make_notification(self.teammate, self.contract)
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, 'data-testid="unread-count">1</span>', html=False)

    def test_large_count_capped(self):
        for days in range(1, 101):
            make_notification(self.owner, self.contract, days_before=days)
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, 'data-testid="unread-count">99+</span>', html=False)
        self.assertContains(response, 'aria-label="Notifications, 100 unread"')

    def test_one_query_whatever_count(self):
        Organisation.get()
        self.login(self.owner)
        url = reverse("notifications:settings")
        # Session, user, organisation, preference, unread notifications.
        with self.assertNumQueries(5):
            self.client.get(url)
        for days in range(1, 30):
            make_notification(self.owner, self.contract, days_before=days)

        with self.assertNumQueries(5):
            self.client.get(url)

    def test_login_page_has_no_bell(self):
        response = self.client.get(reverse("users:login"))

        self.assertNotContains(response, 'id="notification-bell"')
