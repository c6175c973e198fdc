import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.history.deletion import soft_delete
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


class OpportunityCreateContractTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(
            self.account,
            "Rollout",
            stage=stage("won"),
            value=Decimal("4200.00"),
            close_date=datetime.date(2027, 3, 31),
            description="Rollout to three plants.",
        )
        self.url = reverse("opportunities:create-contract", args=[self.opportunity.pk])

    def _data(self, **changes) -> dict:
        data = {
            "name": "Rollout",
            "description": "Rollout to three plants.",
            "value": "4200.00",
            "start_date": "2027-03-31",
            "end_date": "2028-03-30",
            "owner": str(self.owner.pk),
            "status": ContractStatus.ACTIVE,
        }
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, self._data())

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertFalse(Contract.objects.exists())

    def test_team_and_admin_may_open(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)

    def test_form_prefilled_from_opportunity(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        form = response.context["form"]
        self.assertEqual(form["name"].value(), "Rollout")
        self.assertEqual(form["value"].value(), Decimal("4200.00"))
        self.assertEqual(form["start_date"].value(), datetime.date(2027, 3, 31))
        self.assertEqual(form["description"].value(), "Rollout to three plants.")
        self.assertEqual(form["owner"].value(), self.teammate.pk)
        self.assertNotIn("account", form.fields)
        self.assertContains(response, self.account.name)

    def test_save_records_opportunity(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        contract = Contract.objects.get()
        self.assertEqual(contract.opportunity, self.opportunity)
        self.assertEqual(contract.account, self.account)
        self.assertEqual(contract.value, Decimal("4200.00"))
        self.assertEqual(contract.end_date, datetime.date(2028, 3, 30))
        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?contracts=active#contracts-section",
            fetch_redirect_response=False,
        )

    def test_end_before_start_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(end_date="2027-01-01"))

        self.assertIn("end_date", response.context["form"].errors)
        self.assertFalse(Contract.objects.exists())

    def test_missing_description_notice(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(description=""), follow=True)

        self.assertContains(response, "Rollout has no description.")
        self.assertTrue(Contract.objects.filter(opportunity=self.opportunity).exists())

    def test_existing_contract_linked_instead(self):
        existing = make_contract(self.account, "Signed", opportunity=self.opportunity)
        self.login(self.owner)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, self._data())

        self.assertRedirects(get_response, existing.get_absolute_url(), fetch_redirect_response=False)
        self.assertRedirects(post_response, existing.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(Contract.objects.count(), 1)

    def test_contract_in_deleted_items(self):
        deleted = make_contract(self.account, "Signed", opportunity=self.opportunity)
        soft_delete(deleted, self.owner)
        self.login(self.owner)

        get_response = self.client.get(self.url, follow=True)
        post_response = self.client.post(self.url, self._data(), follow=True)

        for response in (get_response, post_response):
            self.assertRedirects(response, self.opportunity.get_absolute_url())
            self.assertContains(
                response, "The contract &quot;Signed&quot; created from Rollout is in Deleted items."
            )
        self.assertEqual(Contract.all_objects.count(), 1)

    def test_open_opportunity_refused(self):
        self.opportunity.stage = stage("Negotiation")
        self.opportunity.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(), follow=True)

        self.assertRedirects(response, self.opportunity.get_absolute_url())
        self.assertContains(response, "Move it to a closed won stage")
        self.assertFalse(Contract.objects.exists())

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(Contract.objects.exists())

