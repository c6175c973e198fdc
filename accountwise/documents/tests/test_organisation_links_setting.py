from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase


class OrganisationLinksSettingTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("core:organisation")

    def test_form_shows_setting(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, "Allow document links to Google Drive, SharePoint and OneDrive only")
        self.assertContains(response, 'name="document_links_known_providers_only"')

    def test_administrator_limits_links(self):
        self.login(self.admin)

        response = self.client.post(
            self.url,
            {"name": "Acme Sales", "currency": "EUR", "fiscal_year_start_month": 1,
             "account_visibility": "everyone", "document_links_known_providers_only": "on"},
        )

        self.assertRedirects(response, self.url)
        self.assertTrue(Organisation.get().document_links_known_providers_only)

    def test_off_by_default(self):
        self.assertFalse(Organisation.get().document_links_known_providers_only)

    def test_members_cannot_change(self):
        self.login(self.owner)

        response = self.client.post(
            self.url,
            {"name": "Acme Sales", "currency": "EUR", "fiscal_year_start_month": 1,
             "document_links_known_providers_only": "on"},
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Organisation.get().document_links_known_providers_only)
