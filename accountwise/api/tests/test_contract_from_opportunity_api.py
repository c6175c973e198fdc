from decimal import Decimal

from django.urls import reverse

from accountwise.contracts.models import Contract
from accountwise.history.deletion import soft_delete
from accountwise.opportunities.models import StageKind
from accountwise.test import BaseTestCase, make_opportunity, stage


def _url(pk: int) -> str:
    return reverse("api:v1:opportunity-contract", args=[pk])


class ContractFromOpportunityApiTests(BaseTestCase):
    def setUp(self):
        self.won = make_opportunity(
            self.account, "Fleet renewal", value=Decimal("12500.00"), stage=stage(StageKind.WON)
        )

    def test_prefills_from_the_opportunity(self):
        self.login(self.teammate)

        response = self.client.post(_url(self.won.pk), {"end_date": "2028-06-30"}, content_type="application/json")

        self.assertEqual(response.status_code, 201, response.content)
        contract = Contract.objects.get(opportunity=self.won)
        self.assertEqual(contract.name, "Fleet renewal")
        self.assertEqual(contract.value, Decimal("12500.00"))
        self.assertEqual(contract.start_date, self.won.close_date)
        self.assertEqual(contract.owner, self.teammate)
        self.assertEqual(response.json()["id"], contract.pk)

    def test_sent_fields_override_the_prefill(self):
        self.login(self.owner)

        response = self.client.post(
            _url(self.won.pk), {"name": "Fleet 2028", "value": "9000.00"}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 201, response.content)
        contract = Contract.objects.get(opportunity=self.won)
        self.assertEqual((contract.name, contract.value), ("Fleet 2028", Decimal("9000.00")))

    def test_open_opportunity_is_a_conflict(self):
        open_one = make_opportunity(self.account, "Pilot", stage=stage("Proposal"))
        self.login(self.owner)

        response = self.client.post(_url(open_one.pk), {}, content_type="application/json")

        self.assertEqual(response.status_code, 409)
        self.assertIn("closed won", response.json()["detail"])
        self.assertFalse(Contract.objects.exists())

    def test_second_contract_is_a_conflict(self):
        self.login(self.owner)
        self.client.post(_url(self.won.pk), {}, content_type="application/json")

        response = self.client.post(_url(self.won.pk), {}, content_type="application/json")

        self.assertEqual(response.status_code, 409)
        self.assertIn("already has a contract", response.json()["detail"])
        self.assertEqual(Contract.objects.count(), 1)

    def test_contract_in_deleted_items_is_a_conflict(self):
        self.login(self.owner)
        self.client.post(_url(self.won.pk), {}, content_type="application/json")
        deleted = Contract.objects.get(opportunity=self.won)
        soft_delete(deleted, self.owner)

        response = self.client.post(_url(self.won.pk), {}, content_type="application/json")

        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json()["detail"],
            'The contract "Fleet renewal" created from Fleet renewal is in Deleted items. An opportunity has '
            f"one contract, so ask an administrator to restore that one. The contract's id is {deleted.pk}.",
        )
        self.assertEqual(Contract.all_objects.count(), 1)

    def test_end_before_start_names_the_field(self):
        self.login(self.owner)

        response = self.client.post(
            _url(self.won.pk), {"start_date": "2028-01-01", "end_date": "2027-01-01"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 400)
        self.assertIn("end_date", response.json())

    def test_outsider_may_not_create(self):
        self.login(self.outsider)

        response = self.client.post(_url(self.won.pk), {}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Contract.objects.exists())

    def test_anonymous_is_refused(self):
        response = self.client.post(_url(self.won.pk), {}, content_type="application/json")

        self.assertIn(response.status_code, (401, 403))
