from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_values


def _url(entity: str, file_format: str) -> str:
    return reverse("transfer:export-portfolio", args=[entity, file_format])


class PortfolioExportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_account("Globex", owner=cls.outsider, country="Germany")
        make_contract(cls.account, "Acme small", value=Decimal("100.00"))
        make_contract(cls.account, "Acme large", value=Decimal("900.00"))
        make_contract(cls.other, "Globex medium", value=Decimal("500.00"))
        make_contract(cls.other, "Globex archived", value=Decimal("800.00"), status=ContractStatus.ARCHIVED)
        make_opportunity(cls.account, "Deal A", value=Decimal("1000.00"), stage=stage("Proposal"))
        make_opportunity(cls.other, "Deal B", value=Decimal("300.00"), stage=stage("Negotiation"))
        make_opportunity(cls.other, "Deal C", value=Decimal("50.00"), stage=stage("lost"))

    def test_csv_holds_filtered_rows_in_order(self):
        self.login(self.teammate)

        response = self.client.get(_url("contracts", "csv"), {"value_min": "200", "sort": "-value", "page": "2"})

        rows = csv_rows(content_of(response))
        self.assertEqual(column(rows, "Name"), ["Acme large", "Globex medium"])
        self.assertEqual(column(rows, "Value"), ["900.00", "500.00"])

    def test_xlsx_follows_status_and_account_filter(self):
        self.login(self.teammate)
        self.client.post(reverse("portfolio:account-filter"), {"country": "Germany"})

        response = self.client.get(_url("opportunities", "xlsx"), {"status": "all", "sort": "name"})

        rows = xlsx_values(content_of(response))
        self.assertEqual(column(rows, "Name"), ["Deal B", "Deal C"])

    def test_default_status_is_active(self):
        self.login(self.teammate)

        response = self.client.get(_url("opportunities", "csv"))

        self.assertEqual(column(csv_rows(content_of(response)), "Name"), ["Deal A", "Deal B"])

    def test_one_query_for_the_rows(self):
        self.login(self.teammate)
        for number in range(20):
            make_contract(self.other, f"Bulk {number}")

        self.client.get(_url("contracts", "csv"))
        with CaptureQueriesContext(connection) as few:
            content_of(self.client.get(_url("contracts", "csv"), {"value_max": "10"}))
        with CaptureQueriesContext(connection) as many:
            content_of(self.client.get(_url("contracts", "csv")))

        self.assertEqual(len(few), len(many))

    def test_unknown_list_or_format_is_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.get(_url("plans", "csv")).status_code, 404)
        self.assertEqual(self.client.get(_url("contracts", "pdf")).status_code, 404)

    def test_portfolio_page_links_to_export_with_filters(self):
        self.login(self.teammate)

        response = self.client.get(reverse("portfolio:contracts"), {"value_min": "200", "page": "1"})

        self.assertContains(response, _url("contracts", "xlsx") + "?value_min=200")
