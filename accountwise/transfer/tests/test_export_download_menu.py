from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage

LIST_URL = reverse("accounts:list")


class AccountListDownloadMenuTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_links_for_both_formats(self):
        response = self.client.get(LIST_URL)

        self.assertContains(response, 'data-testid="download-menu"')
        self.assertContains(response, 'href="/transfer/export/accounts.xlsx"')
        self.assertContains(response, 'href="/transfer/export/accounts.csv"')

    def test_links_carry_filters_not_page(self):
        response = self.client.get(LIST_URL, {"q": "acme", "status": "all", "sort": "-updated", "page": "2"})

        self.assertContains(response, 'href="/transfer/export/accounts.xlsx?q=acme&amp;status=all&amp;sort=-updated"')
        self.assertContains(response, 'href="/transfer/export/accounts.csv?q=acme&amp;status=all&amp;sort=-updated"')

    def test_htmx_results_carry_filters(self):
        response = self.client.get(LIST_URL, {"q": "acme", "type": "normal"}, HTTP_HX_REQUEST="true")

        self.assertTemplateNotUsed(response, "accounts/account_list.html")
        self.assertContains(response, 'href="/transfer/export/accounts.csv?q=acme&amp;type=normal"')

    def test_no_menu_without_rows(self):
        response = self.client.get(LIST_URL, {"q": "nothing matches this"})

        self.assertNotContains(response, 'data-testid="download-menu"')


class SectionDownloadMenuTests(BaseTestCase):
    def setUp(self):
        self.login(self.teammate)

    def test_contracts_menu_carries_status(self):
        make_contract(self.account, status=ContractStatus.ARCHIVED)

        response = self.client.get(self.account.get_absolute_url(), {"contracts": "archived"})

        base = f"/transfer/export/accounts/{self.account.pk}/contracts"
        self.assertContains(response, f'href="{base}.xlsx?contracts=archived"')
        self.assertContains(response, f'href="{base}.csv?contracts=archived"')

    def test_contracts_menu_after_htmx_filter(self):
        make_contract(self.account)

        response = self.client.get(
            reverse("contracts:section", args=[self.account.pk]), {"contracts": "all"}, HTTP_HX_REQUEST="true"
        )

        base = f"/transfer/export/accounts/{self.account.pk}/contracts"
        self.assertContains(response, f'href="{base}.csv?contracts=all"')

    def test_opportunities_menu_carries_status(self):
        make_opportunity(self.account, stage=stage("on_hold"))

        response = self.client.get(
            reverse("opportunities:section", args=[self.account.pk]), {"opportunities": "on_hold"},
            HTTP_HX_REQUEST="true",
        )

        base = f"/transfer/export/accounts/{self.account.pk}/opportunities"
        self.assertContains(response, f'href="{base}.xlsx?opportunities=on_hold"')
        self.assertContains(response, f'href="{base}.csv?opportunities=on_hold"')

    def test_default_status_in_links(self):
        make_opportunity(self.account)

        response = self.client.get(self.account.get_absolute_url())

        base = f"/transfer/export/accounts/{self.account.pk}/opportunities"
        self.assertContains(response, f'href="{base}.xlsx?opportunities=active"')

    def test_no_menu_for_empty_section(self):
        response = self.client.get(self.account.get_absolute_url())

        self.assertNotContains(response, "/transfer/export/")
