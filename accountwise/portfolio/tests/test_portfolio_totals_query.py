import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


def _queries_counting(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if f'COUNT("{table}"."id")' in query["sql"]]


class PortfolioTotalsQueryTests(BaseTestCase):
    """A portfolio page reads its totals and its status counts in one query over the selection."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_opportunity(cls.account, "Open deal", value=Decimal("100.00"), stage=stage("Proposal"))
        make_opportunity(cls.account, "Won deal", value=Decimal("250.00"), stage=stage("Closed won"))
        make_opportunity(cls.account, "Lost deal", value=Decimal("40.00"), stage=stage("Closed lost"))
        make_contract(cls.account, "Running", value=Decimal("300.00"), end_date=datetime.date(2027, 3, 1))
        make_contract(cls.account, "Finished", value=Decimal("70.00"), status=ContractStatus.ARCHIVED)

    def test_opportunities_one_counting_query(self):
        self.login(self.admin)

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("portfolio:opportunities"), {"status": "closed_won"})

        self.assertEqual(len(_queries_counting(queries, "opportunities_opportunity")), 1)
        self.assertEqual(response.context["totals"]["count"], 1)
        self.assertEqual(response.context["totals"]["total_value"], Decimal("250.00"))
        self.assertEqual(response.context["totals"]["estimated_value"], Decimal("250.00"))
        tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
        self.assertEqual(tabs, {"active": 1, "on_hold": 0, "closed_won": 1, "closed_lost": 1, "all": 3})

    def test_opportunities_all_statuses_totalled(self):
        self.login(self.admin)

        response = self.client.get(reverse("portfolio:opportunities"), {"status": "all"})

        self.assertEqual(response.context["totals"]["count"], 3)
        self.assertEqual(response.context["totals"]["total_value"], Decimal("390.00"))

    def test_contracts_one_counting_query(self):
        self.login(self.admin)

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("portfolio:contracts"), {"status": "archived"})

        self.assertEqual(len(_queries_counting(queries, "contracts_contract")), 1)
        self.assertEqual(response.context["totals"], {"count": 1, "total_value": Decimal("70.00")})
        tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
        self.assertEqual(tabs, {"active": 1, "archived": 1, "all": 2})
