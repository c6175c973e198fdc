"""Combinations of the contract and opportunity filters, with totals checked against hand-computed figures."""

import datetime
from decimal import Decimal
from unittest import mock

from accountwise.accounts.models import AccountType
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.opportunities.models import Opportunity
from accountwise.portfolio.filters import AccountScopeFilter, ContractFilter, OpportunityFilter
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, make_user, stage

TODAY = datetime.date(2027, 3, 1)


def _days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


class PortfolioFilterTestCase(BaseTestCase):
    """Two accounts with different owners, types and countries, each with business in every state."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.erin = make_user("erin")
        cls.account.type = AccountType.STRATEGIC
        cls.account.country = "France"
        cls.account.save()
        cls.other = make_account("Globex", owner=cls.erin, country="Germany", industry="Energy")

        cls.acme_soon = make_contract(cls.account, "Acme soon", value=Decimal("100.00"), end_date=_days(20), owner=cls.owner)
        cls.acme_later = make_contract(cls.account, "Acme later", value=Decimal("250.50"), end_date=_days(75), owner=cls.erin)
        cls.acme_old = make_contract(
            cls.account, "Acme old", value=Decimal("999.00"), end_date=_days(10), status=ContractStatus.ARCHIVED
        )
        cls.globex_soon = make_contract(cls.other, "Globex soon", value=Decimal("40.00"), end_date=_days(5), owner=cls.owner)
        cls.globex_far = make_contract(cls.other, "Globex far", value=Decimal("5000.00"), end_date=_days(400))

        cls.deal_a = make_opportunity(cls.account, "Deal A", value=Decimal("1000.00"), stage=stage("Proposal"),
                                      close_date=_days(15), owner=cls.owner)
        cls.deal_b = make_opportunity(cls.account, "Deal B", value=Decimal("300.00"), stage=stage("Negotiation"),
                                      close_date=_days(45), owner=cls.erin)
        cls.deal_c = make_opportunity(cls.other, "Deal C", value=Decimal("2000.00"), stage=stage("Prospecting"),
                                      close_date=_days(85), owner=cls.owner)
        cls.deal_won = make_opportunity(cls.other, "Deal won", value=Decimal("700.00"), stage=stage("won"),
                                        close_date=_days(-5), owner=cls.owner)
        cls.deal_held = make_opportunity(cls.account, "Deal held", value=Decimal("50.00"), stage=stage("on_hold"),
                                         close_date=_days(30))
        cls.deal_lost = make_opportunity(cls.account, "Deal lost", value=Decimal("80.00"), stage=stage("lost"),
                                         close_date=_days(-30), owner=cls.erin)

    def setUp(self):
        patcher = mock.patch("accountwise.portfolio.filters.timezone.localdate", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def contracts(self, **params) -> ContractFilter:
        return ContractFilter(params, queryset=Contract.objects.all())

    def opportunities(self, **params) -> OpportunityFilter:
        return OpportunityFilter(params, queryset=Opportunity.objects.select_related("stage"))


class ContractFilterTests(PortfolioFilterTestCase):
    def test_missing_status_keeps_every_status(self):
        self.assertEqual(self.contracts().qs.count(), 5)

    def test_status_active(self):
        names = set(self.contracts(status="active").qs.values_list("name", flat=True))

        self.assertEqual(names, {"Acme soon", "Acme later", "Globex soon", "Globex far"})

    def test_status_archived_totals(self):
        totals = self.contracts(status="archived").qs.totals()

        self.assertEqual(totals, {"count": 1, "total_value": Decimal("999.00")})

    def test_ends_within_30_days_and_active(self):
        totals = self.contracts(status="active", ends_within="30").qs.totals()

        # Acme soon (100.00, day 20) and Globex soon (40.00, day 5); the archived one ending on day 10 is out.
        self.assertEqual(totals, {"count": 2, "total_value": Decimal("140.00")})

    def test_ends_within_90_days_any_status(self):
        totals = self.contracts(status="all", ends_within="90").qs.totals()

        self.assertEqual(totals, {"count": 4, "total_value": Decimal("1389.50")})

    def test_end_date_range_and_owner(self):
        qs = self.contracts(
            status="active", end_date_after=_days(0).isoformat(), end_date_before=_days(100).isoformat(),
            owner=str(self.owner.pk),
        ).qs

        self.assertEqual(qs.totals(), {"count": 2, "total_value": Decimal("140.00")})

    def test_value_range(self):
        totals = self.contracts(status="active", value_min="100", value_max="300").qs.totals()

        self.assertEqual(totals, {"count": 2, "total_value": Decimal("350.50")})

    def test_account_criteria(self):
        by_country = self.contracts(status="active", account_country="germany").qs.totals()
        by_owner = self.contracts(status="active", account_owner=str(self.owner.pk), ends_within="30").qs.totals()
        by_type = self.contracts(status="all", account_type="strategic", value_max="500").qs.totals()

        self.assertEqual(by_country, {"count": 2, "total_value": Decimal("5040.00")})
        self.assertEqual(by_owner, {"count": 1, "total_value": Decimal("100.00")})
        self.assertEqual(by_type, {"count": 2, "total_value": Decimal("350.50")})

    def test_account_search_and_team_member(self):
        searched = self.contracts(status="active", account_q="glob").qs
        teamed = self.contracts(status="active", account_team_member=str(self.teammate.pk)).qs

        self.assertEqual(set(searched.values_list("name", flat=True)), {"Globex soon", "Globex far"})
        self.assertEqual(set(teamed.values_list("name", flat=True)), {"Acme soon", "Acme later"})

    def test_status_counts_ignore_status_filter(self):
        contract_filter = self.contracts(status="archived", ends_within="30")
        contract_filter.qs

        self.assertEqual(contract_filter.status_counts(), {"active": 2, "archived": 1, "all": 3})

    def test_sort_by_value_descending(self):
        names = list(self.contracts(status="active", sort="-value").qs.values_list("name", flat=True))

        self.assertEqual(names, ["Globex far", "Acme later", "Acme soon", "Globex soon"])

    def test_sort_by_account_then_pk(self):
        names = list(self.contracts(status="all", sort="account").qs.values_list("name", flat=True))

        self.assertEqual(names, ["Acme soon", "Acme later", "Acme old", "Globex soon", "Globex far"])

    def test_invalid_value_is_reported_and_ignored(self):
        contract_filter = self.contracts(status="active", value_min="lots")

        self.assertEqual(contract_filter.qs.count(), 4)
        self.assertIn("value", contract_filter.form.errors)


class OpportunityFilterTests(PortfolioFilterTestCase):
    def test_each_status_totals(self):
        expected = {
            "active": {"count": 3, "total_value": Decimal("3300.00"), "estimated_value": Decimal("1040.00")},
            "on_hold": {"count": 1, "total_value": Decimal("50.00"), "estimated_value": Decimal("0.00")},
            "closed_won": {"count": 1, "total_value": Decimal("700.00"), "estimated_value": Decimal("700.00")},
            "closed_lost": {"count": 1, "total_value": Decimal("80.00"), "estimated_value": Decimal("0.00")},
        }
        for status, totals in expected.items():
            with self.subTest(status=status):
                self.assertEqual(self.opportunities(status=status).qs.totals(), totals)

    def test_stage_and_owner(self):
        totals = self.opportunities(status="active", stage=str(stage("Proposal").pk), owner=str(self.owner.pk)).qs.totals()

        self.assertEqual(totals, {"count": 1, "total_value": Decimal("1000.00"), "estimated_value": Decimal("600.00")})

    def test_closes_within_60_days(self):
        totals = self.opportunities(status="active", closes_within="60").qs.totals()

        # Deal A (1000 at 60 %) and Deal B (300 at 80 %).
        self.assertEqual(totals, {"count": 2, "total_value": Decimal("1300.00"), "estimated_value": Decimal("840.00")})

    def test_close_range_value_and_account(self):
        totals = self.opportunities(
            status="all", close_date_after=_days(-10).isoformat(), close_date_before=_days(90).isoformat(),
            value_min="500", account_country="Germany",
        ).qs.totals()

        # Deal C (2000 at 10 %) and Deal won (700 at 100 %).
        self.assertEqual(totals, {"count": 2, "total_value": Decimal("2700.00"), "estimated_value": Decimal("900.00")})

    def test_status_counts(self):
        opportunity_filter = self.opportunities(status="active", account_owner=str(self.owner.pk))
        opportunity_filter.qs

        self.assertEqual(
            opportunity_filter.status_counts(),
            {"active": 2, "on_hold": 1, "closed_won": 0, "closed_lost": 1, "all": 4},
        )

    def test_sort_by_estimated_value(self):
        names = list(self.opportunities(status="active", sort="-estimated_value").qs.values_list("name", flat=True))

        # 1000 x 60 % = 600, 300 x 80 % = 240, 2000 x 10 % = 200.
        self.assertEqual(names, ["Deal A", "Deal B", "Deal C"])

    def test_unknown_stage_is_reported(self):
        opportunity_filter = self.opportunities(status="active", stage="999999")

        self.assertEqual(opportunity_filter.qs.count(), 3)
        self.assertIn("stage", opportunity_filter.form.errors)


class AccountScopeFilterTests(PortfolioFilterTestCase):
    def test_criteria_combine(self):
        from accountwise.accounts.models import Account

        matched = AccountScopeFilter({"country": "FRANCE", "type": "strategic"}, queryset=Account.objects.all()).qs

        self.assertEqual(list(matched), [self.account])

    def test_parent(self):
        from accountwise.accounts.models import Account

        child = make_account("Globex Iberia", parent=self.other)
        matched = AccountScopeFilter({"parent": str(self.other.pk)}, queryset=Account.objects.all()).qs

        self.assertEqual(list(matched), [child])
