from decimal import Decimal

from django.urls import reverse

from accountwise.portfolio.models import SavedFilter
from accountwise.portfolio.tests.test_saved_filters import make_saved_filter
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage

LIST_URL = reverse("api:v1:saved-filter-list")


def _detail(saved: SavedFilter) -> str:
    return reverse("api:v1:saved-filter-detail", args=[saved.pk])


class SavedFilterApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = make_saved_filter(cls.owner, "Bob's")
        cls.others = make_saved_filter(cls.teammate, "Charlie's")
        cls.shared = make_saved_filter(cls.admin, "Everyone's", entity="opportunities", is_shared=True)

    def test_list_own_and_shared(self):
        self.login(self.owner)

        response = self.client.get(LIST_URL)

        names = {item["name"]: item["can_manage"] for item in response.json()["results"]}
        self.assertEqual(names, {"Bob's": True, "Everyone's": False})

    def test_filter_by_entity(self):
        self.login(self.owner)

        response = self.client.get(LIST_URL, {"entity": "opportunities"})

        self.assertEqual([item["name"] for item in response.json()["results"]], ["Everyone's"])

    def test_member_creates_personal(self):
        self.login(self.owner)

        response = self.client.post(
            LIST_URL, {"name": "Renewals", "entity": "contracts", "params": {"ends_within": ["90"]}},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 201, response.content)
        saved = SavedFilter.objects.get(name="Renewals")
        self.assertEqual((saved.owner, saved.is_shared), (self.owner, False))

    def test_member_cannot_create_shared(self):
        self.login(self.owner)

        response = self.client.post(
            LIST_URL, {"name": "Team", "entity": "contracts", "params": {}, "is_shared": True},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(SavedFilter.objects.filter(name="Team").exists())

    def test_administrator_creates_shared(self):
        self.login(self.admin)

        response = self.client.post(
            LIST_URL, {"name": "Team", "entity": "accounts", "params": {"country": ["France"]}, "is_shared": True},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(SavedFilter.objects.get(name="Team").is_shared)

    def test_invalid_params_are_named(self):
        self.login(self.owner)

        unknown = self.client.post(
            LIST_URL, {"name": "x", "entity": "contracts", "params": {"colour": ["red"]}}, content_type="application/json"
        )
        invalid = self.client.post(
            LIST_URL, {"name": "y", "entity": "contracts", "params": {"ends_within": ["7"]}}, content_type="application/json"
        )

        self.assertEqual(unknown.status_code, 400)
        self.assertIn("colour", unknown.json()["params"][0])
        self.assertEqual(invalid.status_code, 400)
        self.assertIn("ends_within", invalid.json()["params"][0])

    def test_duplicate_name_is_400(self):
        self.login(self.owner)

        response = self.client.post(
            LIST_URL, {"name": "bob's", "entity": "contracts", "params": {}}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())

    def test_member_renames_own(self):
        self.login(self.owner)

        response = self.client.patch(_detail(self.own), {"name": "Mine"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.own.refresh_from_db()
        self.assertEqual(self.own.name, "Mine")

    def test_member_cannot_rename_or_delete_shared(self):
        self.login(self.owner)

        rename = self.client.patch(_detail(self.shared), {"name": "Mine"}, content_type="application/json")
        delete = self.client.delete(_detail(self.shared))

        self.assertEqual((rename.status_code, delete.status_code), (403, 403))
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "Everyone's")

    def test_member_cannot_publish_own(self):
        self.login(self.owner)

        response = self.client.patch(_detail(self.own), {"is_shared": True}, content_type="application/json")

        self.assertEqual(response.status_code, 403)

    def test_others_personal_is_404(self):
        self.login(self.owner)

        self.assertEqual(self.client.get(_detail(self.others)).status_code, 404)
        self.assertEqual(self.client.delete(_detail(self.others)).status_code, 404)

    def test_administrator_deletes_shared(self):
        self.login(self.admin)

        response = self.client.delete(_detail(self.shared))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(SavedFilter.objects.filter(pk=self.shared.pk).exists())


class PortfolioParamsApiTests(BaseTestCase):
    """The contracts and opportunities lists accept the portfolio views' filter parameters."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other = make_account("Globex", owner=cls.outsider, country="Germany")
        make_contract(cls.account, "Acme", value=Decimal("100.00"))
        make_contract(other, "Globex big", value=Decimal("900.00"))
        make_contract(other, "Globex small", value=Decimal("10.00"))
        make_opportunity(cls.account, "Deal A", value=Decimal("1000.00"), stage=stage("Proposal"))
        make_opportunity(other, "Deal B", value=Decimal("500.00"), stage=stage("Negotiation"))

    def test_contracts_by_account_country_and_value(self):
        self.login(self.owner)

        response = self.client.get(reverse("api:v1:contract-list"), {"account_country": "germany", "value_min": "50"})

        self.assertEqual([item["name"] for item in response.json()["results"]], ["Globex big"])

    def test_opportunity_totals_by_account_owner(self):
        self.login(self.owner)

        response = self.client.get(reverse("api:v1:opportunity-totals"), {"account_owner": self.outsider.pk})

        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(Decimal(response.json()["estimated_value"]), Decimal("400.00"))

    def test_schema_documents_portfolio_params(self):
        self.login(self.owner)

        schema = self.client.get(reverse("api:schema"), {"format": "json"}).json()

        names = {parameter["name"] for parameter in schema["paths"]["/api/v1/contracts/"]["get"]["parameters"]}
        self.assertTrue({"account_owner", "ends_within", "value_min", "end_date_after"} <= names)
        self.assertNotIn("sort", names)
        self.assertIn("/api/v1/saved-filters/", schema["paths"])
