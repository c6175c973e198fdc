import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.contracts.models import Contract, ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:contract-detail", args=[pk]) if pk else reverse("api:v1:contract-list")


class ContractsApiTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", value=Decimal("1000.00"))

    def test_list_filters_by_status(self):
        make_contract(self.account, "Old", status=ContractStatus.ARCHIVED)
        self.login(self.outsider)

        response = self.client.get(_url(), {"status": "archived"})

        self.assertEqual([c["name"] for c in response.json()["results"]], ["Old"])

    def test_totals_follow_filter(self):
        make_contract(self.account, "Old", value=Decimal("500.00"), status=ContractStatus.ARCHIVED)
        make_contract(make_account("Globex"), "Licence", value=Decimal("250.50"))
        self.login(self.outsider)

        response = self.client.get(reverse("api:v1:contract-totals"), {"status": "active"})

        self.assertEqual(response.json(), {"count": 2, "total_value": "1250.50"})

    def test_owner_adds_contract(self):
        self.login(self.owner)

        response = self.client.post(
            _url(), {"account": self.account.pk, "name": "Hosting", "value": "99.90"}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 201)
        contract = Contract.objects.get(name="Hosting")
        self.assertEqual(contract.value, Decimal("99.90"))
        self.assertEqual(contract.owner, self.owner)

    def test_outsider_cannot_add_contract(self):
        self.login(self.outsider)

        response = self.client.post(_url(), {"account": self.account.pk, "name": "Hosting"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)

    def test_end_before_start_is_named(self):
        self.login(self.owner)

        response = self.client.patch(
            _url(self.contract.pk), {"start_date": "2027-06-01", "end_date": "2027-01-01"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 400)
        self.assertIn("end_date", response.json())
        self.contract.refresh_from_db()
        self.assertIsNone(self.contract.end_date)

    def test_admin_changes_contract(self):
        self.login(self.admin)

        response = self.client.patch(_url(self.contract.pk), {"end_date": "2027-12-31"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.end_date, datetime.date(2027, 12, 31))
        self.assertEqual(self.contract.value, Decimal("1000.00"))

    def test_outsider_cannot_change(self):
        self.login(self.outsider)

        response = self.client.patch(_url(self.contract.pk), {"name": "Mine"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)

    def test_delete_is_not_offered(self):
        self.login(self.owner)

        response = self.client.delete(_url(self.contract.pk))

        self.assertEqual(response.status_code, 405)
