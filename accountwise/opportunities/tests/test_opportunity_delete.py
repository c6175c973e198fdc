from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import Contract
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


class OpportunityDeleteTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell")
        self.url = reverse("opportunities:delete", args=[self.opportunity.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url)

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertTrue(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

    def test_team_and_admin_may_delete(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                opportunity = make_opportunity(self.account)
                self.login(user)

                response = self.client.post(reverse("opportunities:delete", args=[opportunity.pk]))

                self.assertEqual(response.status_code, 302)
                self.assertFalse(Opportunity.objects.filter(pk=opportunity.pk).exists())

    def test_get_asks_for_confirmation(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "You can undo this right after")
        self.assertTrue(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

    def test_delete_returns_to_section(self):
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertRedirects(
            response, f"{self.account.get_absolute_url()}#opportunities-section", fetch_redirect_response=False
        )

    def test_contract_survives_delete(self):
        self.opportunity.stage = stage("won")
        self.opportunity.save()
        contract = make_contract(self.account, "Signed", opportunity=self.opportunity)
        self.login(self.owner)

        confirm = self.client.get(self.url)
        self.client.post(self.url)

        self.assertContains(confirm, "stays, and shows the opportunity as deleted")
        contract.refresh_from_db()
        # The link stays, so that restoring the opportunity brings it back whole.
        self.assertEqual(contract.opportunity_id, self.opportunity.pk)
        self.assertTrue(Contract.objects.filter(pk=contract.pk).exists())
        self.assertContains(self.client.get(contract.get_absolute_url()), "Upsell <span class=\"badge text-bg-secondary\">deleted</span>")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        self.client.post(self.url)

        self.assertTrue(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

