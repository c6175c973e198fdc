"""Saved filters in an account's contracts and opportunities sections."""

from decimal import Decimal

from django.urls import reverse

from accountwise.portfolio.models import SavedFilter
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, content_of, csv_rows

HTMX = {"HTTP_HX_REQUEST": "true"}


class SectionSavedFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_contract(cls.account, "Small", value=Decimal("100.00"))
        make_contract(cls.account, "Large", value=Decimal("900.00"))
        make_opportunity(cls.account, "Small deal", value=Decimal("100.00"), stage=stage("Proposal"))
        make_opportunity(cls.account, "Large deal", value=Decimal("900.00"), stage=stage("Proposal"))
        params = {"value_min": ["500"], "status": ["all"]}
        cls.contracts_filter = SavedFilter.objects.create(
            owner=cls.owner, name="Large", entity="contracts", params=params
        )
        cls.opportunities_filter = SavedFilter.objects.create(
            owner=cls.admin, name="Large deals", entity="opportunities", params=params, is_shared=True
        )
        cls.private_filter = SavedFilter.objects.create(
            owner=cls.teammate, name="Charlie's", entity="contracts", params=params
        )

    def test_contracts_section_lists_visible_filters(self):
        self.login(self.owner)

        response = self.client.get(self.account.get_absolute_url())

        labels = [link["label"] for link in response.context["contracts_section"]["saved_filters"]["links"]]
        self.assertEqual(labels, ["No saved filter", "Large"])

    def test_contracts_section_applies_filter(self):
        self.login(self.owner)

        response = self.client.get(
            reverse("contracts:section", args=[self.account.pk]),
            {"contracts": "active", "contracts_filter": self.contracts_filter.pk}, **HTMX,
        )

        section = response.context["contracts_section"]
        self.assertEqual([contract.name for contract in section["contracts"]], ["Large"])
        self.assertEqual(section["totals"], {"count": 1, "total_value": Decimal("900.00")})
        self.assertIn(f"contracts_filter={self.contracts_filter.pk}", section["filters"][1]["hx_url"])

    def test_others_personal_filter_is_ignored(self):
        self.login(self.owner)

        response = self.client.get(
            reverse("contracts:section", args=[self.account.pk]), {"contracts_filter": self.private_filter.pk}, **HTMX
        )

        self.assertEqual(len(response.context["contracts_section"]["contracts"]), 2)

    def test_opportunities_summary_follows_filter(self):
        self.login(self.teammate)

        response = self.client.get(
            reverse("opportunities:section", args=[self.account.pk]),
            {"opportunities_filter": self.opportunities_filter.pk}, **HTMX,
        )

        section = response.context["opportunities_section"]
        self.assertEqual([opportunity.name for opportunity in section["opportunities"]], ["Large deal"])
        self.assertEqual(section["summary"]["totals"]["total_value"], Decimal("900.00"))

    def test_opportunities_summary_view_keeps_filter(self):
        self.login(self.teammate)

        response = self.client.get(
            reverse("opportunities:summary", args=[self.account.pk]),
            {"opportunities": "active", "opportunities_filter": self.opportunities_filter.pk}, **HTMX,
        )

        self.assertEqual(response.context["summary"]["totals"]["count"], 1)

    def test_section_export_follows_filter(self):
        self.login(self.owner)

        response = self.client.get(
            reverse("transfer:export-contracts", args=[self.account.pk, "csv"]),
            {"contracts": "active", "contracts_filter": self.contracts_filter.pk},
        )

        self.assertEqual(column(csv_rows(content_of(response)), "Name"), ["Large"])
