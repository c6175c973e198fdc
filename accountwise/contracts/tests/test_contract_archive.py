from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_contract

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContractArchiveTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support")
        self.url = reverse("contracts:archive", args=[self.contract.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ACTIVE)

    def test_team_and_admin_may_archive(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.contract.status = ContractStatus.ACTIVE
                self.contract.save()
                self.login(user)

                response = self.client.post(self.url)

                self.assertRedirects(response, self.contract.get_absolute_url(), fetch_redirect_response=False)
                self.contract.refresh_from_db()
                self.assertEqual(self.contract.status, ContractStatus.ARCHIVED)

    def test_get_not_allowed(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ACTIVE)

    def test_redirects_to_next(self):
        self.login(self.owner)
        next_url = f"{self.account.get_absolute_url()}?contracts=active"

        response = self.client.post(self.url, {"next": next_url})

        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_htmx_returns_refreshed_section(self):
        make_contract(self.account, "Licences")
        self.login(self.owner)

        response = self.client.post(f"{self.url}?contracts=active", **HTMX)

        self.assertTemplateUsed(response, "contracts/_contracts_section.html")
        section = response.context["contracts_section"]
        self.assertEqual([c.name for c in section["contracts"]], ["Licences"])
        self.assertEqual(section["status"], "active")
        self.assertContains(response, "Contract Support archived.")
        self.assertIn("HX-Request", response["Vary"])

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, **HTMX)

        self.assertEqual(response["HX-Redirect"], self.account.get_absolute_url())
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ACTIVE)


class ContractRestoreTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", status=ContractStatus.ARCHIVED)
        self.url = reverse("contracts:restore", args=[self.contract.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ARCHIVED)

    def test_team_and_admin_may_restore(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.contract.status = ContractStatus.ARCHIVED
                self.contract.save()
                self.login(user)

                self.client.post(self.url)

                self.contract.refresh_from_db()
                self.assertEqual(self.contract.status, ContractStatus.ACTIVE)

    def test_htmx_keeps_archived_filter(self):
        self.login(self.owner)

        response = self.client.post(f"{self.url}?contracts=archived", **HTMX)

        section = response.context["contracts_section"]
        self.assertEqual(section["status"], "archived")
        self.assertEqual(section["contracts"], [])
        self.assertContains(response, "Contract Support restored.")
