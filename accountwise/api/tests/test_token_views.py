from django.urls import reverse

from accountwise.api.models import ApiToken
from accountwise.test import BaseTestCase


class TokenPageTests(BaseTestCase):
    def test_user_menu_links_page(self):
        self.login(self.outsider)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, reverse("api:tokens"))

    def test_empty_state_is_shown(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:tokens"))

        self.assertContains(response, "aw-empty")

    def test_created_token_is_shown_once(self):
        self.login(self.outsider)

        response = self.client.post(reverse("api:tokens"), {"name": "ERP sync"})

        token = ApiToken.objects.get(user=self.outsider)
        text = response.context["new_token"]
        self.assertContains(response, text)
        self.assertTrue(token.matches(text.split("_", 2)[2]))
        self.assertNotContains(self.client.get(reverse("api:tokens")), text)

    def test_missing_name_is_named(self):
        self.login(self.outsider)

        response = self.client.post(reverse("api:tokens"), {"name": ""})

        self.assertContains(response, "Enter a name that says what the token is for.")
        self.assertFalse(ApiToken.objects.exists())

    def test_list_shows_own_tokens(self):
        ApiToken.issue(self.owner, "Bob's script")
        ApiToken.issue(self.outsider, "Dave's script")
        self.login(self.outsider)

        response = self.client.get(reverse("api:tokens"))

        self.assertContains(response, "Dave&#x27;s script")
        self.assertNotContains(response, "Bob&#x27;s script")

    def test_user_revokes_token(self):
        token, _ = ApiToken.issue(self.outsider, "Old")
        self.login(self.outsider)

        response = self.client.post(reverse("api:token-revoke", args=[token.pk]))

        self.assertRedirects(response, reverse("api:tokens"))
        token.refresh_from_db()
        self.assertTrue(token.is_revoked)

    def test_cannot_revoke_others_token(self):
        token, _ = ApiToken.issue(self.owner, "Bob's")
        self.login(self.admin)

        response = self.client.post(reverse("api:token-revoke", args=[token.pk]))

        self.assertEqual(response.status_code, 404)
        token.refresh_from_db()
        self.assertFalse(token.is_revoked)
