from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase


class AccountRestoreTests(BaseTestCase):
    def setUp(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.url = reverse("accounts:restore", args=[self.account.pk])
        self.detail_url = reverse("accounts:detail", args=[self.account.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.account.refresh_from_db()
        self.assertEqual(self.account.status, AccountStatus.ARCHIVED)

    def test_team_and_admin_may_restore(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.account.status = AccountStatus.ARCHIVED
                self.account.save()
                self.login(user)

                response = self.client.post(self.url)

                self.assertRedirects(response, self.detail_url, fetch_redirect_response=False)
                self.account.refresh_from_db()
                self.assertEqual(self.account.status, AccountStatus.ACTIVE)

    def test_get_not_allowed(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)

    def test_restore_removes_banner(self):
        self.login(self.owner)

        response = self.client.post(self.url, follow=True)

        self.assertContains(response, "Acme Corporation restored.")
        self.assertNotContains(response, 'data-testid="archived-banner"')

    def test_outsider_sees_banner_without_restore(self):
        self.login(self.outsider)

        response = self.client.get(self.detail_url)

        self.assertContains(response, 'data-testid="archived-banner"')
        self.assertNotContains(response, self.url)
