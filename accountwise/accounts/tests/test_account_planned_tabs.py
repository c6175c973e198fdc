from django.urls import reverse

from accountwise.test import BaseTestCase


class PlannedTabsTests(BaseTestCase):
    def test_tabs_say_not_available(self):
        self.login(self.owner)

        for tab in ("history",):
            with self.subTest(tab=tab):
                response = self.client.get(reverse(f"accounts:{tab}", args=[self.account.pk]))
                self.assertContains(response, 'class="card-body aw-empty"')
                self.assertContains(response, "not available yet")
                self.assertContains(response, "<span>Acme Corporation</span>", html=True)

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            self.login(user)
            for tab in ("history",):
                with self.subTest(user=user.username, tab=tab):
                    url = reverse(f"accounts:{tab}", args=[self.account.pk])
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_active_tab_marked(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:history", args=[self.account.pk]))

        history_url = reverse("accounts:history", args=[self.account.pk])
        self.assertContains(response, f'class="nav-link active" aria-current="page" href="{history_url}"')
        self.assertContains(response, "<title>History · Acme Corporation")

    def test_missing_account_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:history", args=[9999]))

        self.assertEqual(response.status_code, 404)
