from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase


class AccountArchiveTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:archive", args=[self.account.pk])
        self.detail_url = reverse("accounts:detail", args=[self.account.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.account.refresh_from_db()
        self.assertEqual(self.account.status, AccountStatus.ACTIVE)

    def test_team_and_admin_may_archive(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.account.status = AccountStatus.ACTIVE
                self.account.save()
                self.login(user)

                response = self.client.post(self.url)

                self.assertRedirects(response, self.detail_url, fetch_redirect_response=False)
                self.account.refresh_from_db()
                self.assertEqual(self.account.status, AccountStatus.ARCHIVED)

    def test_get_not_allowed(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.account.refresh_from_db()
        self.assertEqual(self.account.status, AccountStatus.ACTIVE)

    def test_archive_shows_banner_and_message(self):
        self.login(self.owner)

        response = self.client.post(self.url, follow=True)

        self.assertContains(response, "Acme Corporation archived.")
        self.assertContains(response, 'data-testid="archived-banner"')
        self.assertContains(response, reverse("accounts:restore", args=[self.account.pk]))

    def test_archived_leaves_default_list(self):
        self.login(self.owner)

        self.client.post(self.url)

        response = self.client.get(reverse("accounts:list"))
        self.assertEqual(list(response.context["page"]), [])
