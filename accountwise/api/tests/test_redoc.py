"""The Redoc page and the Redoc script it loads, which name no other host."""

from django.urls import reverse

from accountwise.api.docs_views import REDOCLY_LOGO_URL
from accountwise.test import BaseTestCase


class RedocPageTests(BaseTestCase):
    def test_page_links_no_other_host(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:redoc"))

        self.assertContains(response, f'<script src="{reverse("api:redoc-bundle")}"></script>')
        self.assertNotContains(response, "fonts.googleapis.com")
        self.assertNotContains(response, "https://")

    def test_start_script_carries_csp_nonce(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:redoc"))

        nonce = response.wsgi_request.csp_nonce
        self.assertContains(response, f'<script nonce="{nonce}">')
        self.assertIn(f"'nonce-{nonce}'", response["Content-Security-Policy"])

    def test_policy_allows_blob_worker_on_page_only(self):
        self.login(self.outsider)

        redoc = self.client.get(reverse("api:redoc"))
        swagger = self.client.get(reverse("api:docs"))

        self.assertIn("worker-src 'self' blob:", redoc["Content-Security-Policy"])
        self.assertNotIn("blob:", swagger["Content-Security-Policy"])

    def test_start_script_sets_system_fonts(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:redoc"))

        self.assertContains(response, '"fontFamily": "system-ui,')
        self.assertNotContains(response, "Montserrat")


class RedocBundleTests(BaseTestCase):
    url = reverse("api:redoc-bundle")

    def test_serves_script_without_logo_url(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        body = response.content.decode()
        self.assertIn("Redoc", body)
        self.assertIn('src:"data:,"', body)
        self.assertNotIn(REDOCLY_LOGO_URL, body)

    def test_browser_cache_revalidates_by_etag(self):
        self.login(self.outsider)

        first = self.client.get(self.url)
        again = self.client.get(self.url, headers={"If-None-Match": first["ETag"]})

        self.assertIn("max-age=86400", first["Cache-Control"])
        self.assertIn("private", first["Cache-Control"])
        self.assertEqual(again.status_code, 304)

    def test_anonymous_sent_to_login(self):
        response = self.client.get(self.url)

        self.assertRedirects(response, f"{reverse('users:login')}?next={self.url}", fetch_redirect_response=False)
