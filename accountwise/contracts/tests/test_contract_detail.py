import datetime

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


class ContractDetailTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(
            self.account,
            "Support",
            description="Support for all sites.",
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            owner=self.teammate,
        )
        self.url = reverse("contracts:detail", args=[self.contract.pk])

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)

    def test_shows_all_fields(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, "Support for all sites.")
        self.assertContains(response, "$1,000.00")
        self.assertContains(response, "Jan 1, 2027")
        self.assertContains(response, "Dec 31, 2027")
        self.assertContains(response, "Charlie")
        self.assertContains(response, "Active")

    def test_breadcrumb_leads_to_account(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, f'href="{self.account.get_absolute_url()}"')
        self.assertContains(
            response, f'href="{self.account.get_absolute_url()}?contracts=active#contracts-section">Contracts</a>'
        )

    def test_links_opportunity_it_came_from(self):
        opportunity = make_opportunity(self.account, "Big deal", stage=stage("won"))
        self.contract.opportunity = opportunity
        self.contract.save()
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, f'href="{opportunity.get_absolute_url()}"')

    def test_outsider_sees_no_change_buttons(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("contracts:edit", args=[self.contract.pk]))
        self.assertNotContains(response, reverse("contracts:archive", args=[self.contract.pk]))

    def test_teammate_sees_change_buttons(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertContains(response, reverse("contracts:edit", args=[self.contract.pk]))
        self.assertContains(response, reverse("contracts:archive", args=[self.contract.pk]))

    def test_missing_contract_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("contracts:detail", args=[999999]))

        self.assertEqual(response.status_code, 404)

    def test_archived_account_hides_change_buttons(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("contracts:edit", args=[self.contract.pk]))

