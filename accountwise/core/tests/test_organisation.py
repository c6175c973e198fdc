from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase


class OrganisationSettingsTests(BaseTestCase):
    url = "/organisation/"

    def test_administrator_sees_form(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, "Fiscal year start month")

    def test_member_is_forbidden(self):
        self.login(self.owner)

        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"name": "X"}).status_code, 403)

    def test_administrator_saves_currency(self):
        self.login(self.admin)

        response = self.client.post(
            self.url,
            {"name": "Globex", "currency": "EUR", "fiscal_year_start_month": "4", "account_visibility": "everyone"},
        )

        self.assertRedirects(response, self.url)
        organisation = Organisation.get()
        self.assertEqual(organisation.name, "Globex")
        self.assertEqual(organisation.currency, "EUR")
        self.assertEqual(organisation.fiscal_year_start_month, 4)

    def test_administrator_sets_team_visibility(self):
        self.login(self.admin)

        response = self.client.post(
            self.url,
            {"name": "Globex", "currency": "EUR", "fiscal_year_start_month": "1", "account_visibility": "team"},
        )

        self.assertRedirects(response, self.url)
        self.assertEqual(Organisation.get().account_visibility, "team")

    def test_invalid_month_keeps_input(self):
        self.login(self.admin)

        response = self.client.post(
            self.url, {"name": "Globex", "currency": "EUR", "fiscal_year_start_month": "13"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ensure this value is less than or equal to 12.")
        self.assertContains(response, 'value="Globex"')
        self.assertEqual(Organisation.get().name, "My organisation")
