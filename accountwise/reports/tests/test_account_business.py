import datetime
from decimal import Decimal

from django.utils import timezone

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.opportunities.models import Opportunity
from accountwise.reports import account_business
from accountwise.reports.periods import fiscal_year
from accountwise.reports.tests.factories import FISCAL_YEAR_START_MONTH, TODAY, make_portfolio
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage

YEAR = fiscal_year(TODAY, FISCAL_YEAR_START_MONTH)


def _days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


class BusinessFiguresTests(BaseTestCase):
    """Acme's contracts end on the edges of the 30, 60 and 90 day windows; Globex has none."""

    def setUp(self):
        make_portfolio(self)
        make_account("Initech")  # Nothing to report, so not a row.
        acme = self.account
        make_contract(acme, "Edge of 30", value=Decimal("10000.00"), end_date=_days(30))
        make_contract(acme, "Day 31", value=Decimal("5000.00"), end_date=_days(31))
        make_contract(acme, "Edge of 90", value=Decimal("2000.00"), end_date=_days(90))
        make_contract(acme, "Day 91", value=Decimal("1000.00"), end_date=_days(91))
        make_contract(acme, "Ended yesterday", value=Decimal("500.00"), end_date=_days(-1))
        make_contract(acme, "Archived", value=Decimal("7000.00"), end_date=_days(6), status=ContractStatus.ARCHIVED)
        make_contract(acme, "Ends today, no value", value=None, end_date=TODAY)

    def _rows(self) -> dict:
        rows = account_business.business_rows(Account.objects.all(), TODAY, YEAR)
        return {account.name: account for account in rows}

    def test_rows_only_accounts_with_business(self):
        self.assertEqual(list(self._rows()), ["Acme Corporation", "Globex"])

    def test_active_contracts(self):
        acme = self._rows()["Acme Corporation"]

        self.assertEqual(acme.active_contract_count, 6)
        self.assertEqual(acme.active_contract_value, Decimal("18500.00"))

    def test_ending_windows_include_both_ends(self):
        acme = self._rows()["Acme Corporation"]

        self.assertEqual(acme.ending_30, 2)  # Ends today, and on day 30.
        self.assertEqual(acme.ending_60, 3)  # Also day 31.
        self.assertEqual(acme.ending_90, 4)  # Also day 90; day 91 is outside.

    def test_pipeline_per_account(self):
        rows = self._rows()

        self.assertEqual(rows["Acme Corporation"].open_count, 4)
        self.assertEqual(rows["Acme Corporation"].open_value, Decimal("8300.50"))
        self.assertEqual(rows["Acme Corporation"].weighted_percent, Decimal("583005.00"))
        self.assertEqual(rows["Globex"].open_value, Decimal("1500.00"))
        self.assertEqual(rows["Globex"].active_contract_value, Decimal("0"))

    def test_won_value_in_fiscal_year(self):
        rows = self._rows()

        self.assertEqual(rows["Acme Corporation"].won_value, Decimal("5000.00"))
        self.assertEqual(rows["Globex"].won_value, Decimal("0"))

    def test_fiscal_year_last_day_counts(self):
        make_opportunity(self.globex, stage=stage("won"), value=Decimal("300.00"), close_date=datetime.date(2027, 3, 31))
        make_opportunity(self.globex, stage=stage("won"), value=Decimal("900.00"), close_date=datetime.date(2027, 4, 1))

        self.assertEqual(self._rows()["Globex"].won_value, Decimal("300.00"))

    def test_calendar_fiscal_year(self):
        calendar_year = fiscal_year(TODAY, 1)
        make_opportunity(self.globex, stage=stage("won"), value=Decimal("300.00"), close_date=datetime.date(2026, 1, 1))

        rows = account_business.business_rows(Account.objects.all(), TODAY, calendar_year)

        self.assertEqual({row.name: row.won_value for row in rows}, {"Acme Corporation": Decimal("5000.00"), "Globex": Decimal("300.00")})

    def test_totals(self):
        totals = account_business.business_totals(Account.objects.all(), TODAY, YEAR)

        self.assertEqual(totals.active_contract_count, 6)
        self.assertEqual(totals.active_contract_value, Decimal("18500.00"))
        self.assertEqual(totals.ending, {30: 2, 60: 3, 90: 4})
        self.assertEqual(totals.open_count, 5)
        self.assertEqual(totals.open_value, Decimal("9800.50"))
        self.assertEqual(totals.estimated_value, Decimal("6130.05"))
        self.assertEqual(totals.won_value, Decimal("5000.00"))

    def test_totals_agree_with_portfolio(self):
        totals = account_business.business_totals(Account.objects.all(), TODAY, YEAR)
        portfolio = Opportunity.objects.open().totals()

        self.assertEqual(totals.open_count, portfolio["count"])
        self.assertEqual(totals.open_value, portfolio["total_value"])
        self.assertEqual(totals.estimated_value, portfolio["estimated_value"])

    def test_one_account(self):
        rows = account_business.business_rows(Account.objects.filter(pk=self.globex.pk), TODAY, YEAR)
        totals = account_business.business_totals(Account.objects.filter(pk=self.globex.pk), TODAY, YEAR)

        self.assertEqual([row.name for row in rows], ["Globex"])
        self.assertEqual(totals.open_value, Decimal("1500.00"))
        self.assertEqual(totals.active_contract_count, 0)

    def test_won_without_value_not_a_row(self):
        initech = Account.objects.get(name="Initech")
        make_opportunity(initech, stage=stage("won"), value=Decimal("0.00"), close_date=datetime.date(2026, 6, 1))

        self.assertEqual(list(self._rows()), ["Acme Corporation", "Globex"])

    def test_figures_of_keeps_order(self):
        accounts = account_business.figures_of([self.globex.pk, self.account.pk], TODAY, YEAR)

        self.assertEqual([account.name for account in accounts], ["Globex", "Acme Corporation"])
        self.assertEqual(accounts[1].active_contract_value, Decimal("18500.00"))
        self.assertEqual(accounts[0].open_value, Decimal("1500.00"))

    def test_figures_of_deleted_account(self):
        Account.objects.filter(pk=self.globex.pk).update(deleted_at=timezone.now())

        accounts = account_business.figures_of([self.globex.pk, self.account.pk], TODAY, YEAR)

        self.assertEqual([account.name for account in accounts], ["Acme Corporation"])


class LargestAccountsTests(BaseTestCase):
    """Acme has 18,500.00 of active contracts and 8,300.50 of open pipeline, and Globex 1,500.00 of pipeline."""

    def setUp(self):
        make_portfolio(self)
        make_contract(self.account, value=Decimal("18500.00"), end_date=_days(200))

    def _largest(self, accounts=None) -> list[str]:
        accounts = Account.objects.all() if accounts is None else accounts
        return [account.name for account in account_business.largest_accounts(accounts, TODAY, YEAR)]

    def _add_zero_value_accounts(self) -> None:
        # Beta and Zeta have business worth nothing in the chart. The other three have no business.
        make_opportunity(make_account("Zeta"), stage=stage("won"), value=Decimal("300.00"), close_date=_days(-30))
        make_contract(make_account("Beta"), value=None, end_date=_days(10))
        make_contract(make_account("Archived only"), status=ContractStatus.ARCHIVED)
        make_opportunity(make_account("Won nothing"), stage=stage("won"), value=Decimal("0.00"), close_date=_days(-30))
        make_opportunity(make_account("Lost only"), stage=stage("lost"), close_date=_days(-30))

    def test_largest_first(self):
        self.assertEqual(self._largest(), ["Acme Corporation", "Globex"])

    def test_figures(self):
        acme = account_business.largest_accounts(Account.objects.all(), TODAY, YEAR)[0]

        self.assertEqual(acme.active_contract_value, Decimal("18500.00"))
        self.assertEqual(acme.open_value, Decimal("8300.50"))
        self.assertEqual(acme.weighted_percent, Decimal("583005.00"))
        self.assertEqual(acme.won_value, Decimal("5000.00"))

    def test_zero_business_value_by_name(self):
        self._add_zero_value_accounts()

        self.assertEqual(self._largest(), ["Acme Corporation", "Globex", "Beta", "Zeta"])

    def test_chart_limit(self):
        for index in range(account_business.CHART_ACCOUNT_LIMIT + 2):
            make_opportunity(make_account(f"Extra {index:02d}"), stage=stage("Proposal"), value=Decimal(100 + index))

        largest = self._largest()

        self.assertEqual(len(largest), account_business.CHART_ACCOUNT_LIMIT)
        self.assertEqual(largest[:3], ["Acme Corporation", "Globex", "Extra 11"])
        self.assertEqual(largest[-1], "Extra 04")

    def test_one_account(self):
        self.assertEqual(self._largest(Account.objects.filter(pk=self.globex.pk)), ["Globex"])

    def test_no_accounts(self):
        self.assertEqual(self._largest(Account.objects.none()), [])

    def test_deleted_rows_left_out(self):
        Opportunity.objects.filter(account=self.account).update(deleted_at=timezone.now())
        Contract.objects.filter(account=self.account).update(deleted_at=timezone.now())

        self.assertEqual(self._largest(), ["Globex"])

    def test_both_queries_agree(self):
        # Each database runs one of the two queries, so both run here on the database under test.
        self._add_zero_value_accounts()
        make_opportunity(make_account("Alpha"), stage=stage("Proposal"), value=Decimal("1500.00"))
        scopes = {
            "all": Account.objects.all(),
            "Globex": Account.objects.filter(pk=self.globex.pk),
            "none": Account.objects.none(),
        }

        for scope, accounts in scopes.items():
            with self.subTest(scope=scope):
                self.assertEqual(
                    account_business._largest_by_subqueries(accounts, YEAR),
                    account_business._largest_by_grouped_rows(accounts, YEAR),
                )
