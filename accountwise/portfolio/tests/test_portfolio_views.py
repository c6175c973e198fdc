import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, make_user, stage

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContractPortfolioTests(BaseTestCase):
    url = reverse("portfolio:contracts")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_account("Globex", owner=cls.outsider, country="Germany")
        make_contract(cls.account, "Acme support", value=Decimal("1200.00"), end_date=datetime.date(2027, 5, 1))
        make_contract(cls.other, "Globex licence", value=Decimal("800.00"), end_date=datetime.date(2027, 4, 1))
        make_contract(cls.other, "Globex old", value=Decimal("50.00"), status=ContractStatus.ARCHIVED)

    def test_anonymous_is_sent_to_log_in(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("users:login"), response["Location"])

    def test_lists_active_contracts_of_every_account(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual([row.name for row in response.context["page"]], ["Globex licence", "Acme support"])
        self.assertEqual(response.context["totals"], {"count": 2, "total_value": Decimal("2000.00")})
        self.assertContains(response, "Acme Corporation")

    def test_status_tabs_count_each_status(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"status": "archived"})

        tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
        self.assertEqual(tabs, {"active": 2, "archived": 1, "all": 3})
        self.assertEqual([row.name for row in response.context["page"]], ["Globex old"])

    def test_unknown_status_and_sort_fall_back(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"status": "deleted", "sort": "password"})

        self.assertEqual(response.context["status"], "active")
        self.assertEqual(response.context["sort"], "end_date")

    def test_sort_by_name_descending(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"sort": "-name"})

        self.assertEqual([row.name for row in response.context["page"]], ["Globex licence", "Acme support"])
        self.assertEqual(response.context["columns"]["name"]["direction"], "descending")

    def test_htmx_gets_results_only(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"value_min": "1000"}, **HTMX)

        self.assertTemplateUsed(response, "portfolio/_results.html")
        self.assertTemplateNotUsed(response, "portfolio/portfolio.html")
        self.assertEqual(response["Vary"], "HX-Request, Cookie")
        self.assertEqual(response.context["totals"]["count"], 1)

    def test_paginates_fifty_rows(self):
        for number in range(55):
            make_contract(self.account, f"Bulk {number:02}", end_date=datetime.date(2028, 1, 1))
        self.login(self.owner)

        response = self.client.get(self.url, {"page": "2"})

        page = response.context["page"]
        self.assertEqual(page.number, 2)
        self.assertEqual(len(page.object_list), 7)
        self.assertEqual(response.context["totals"]["count"], 57)

    def test_invalid_filter_is_named(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"value_max": "a lot"})

        self.assertContains(response, "That filter is ignored until you correct it.")
        self.assertContains(response, "<strong>Value:</strong>", html=False)
        self.assertEqual(response.context["totals"]["count"], 2)

    def test_empty_portfolio_offers_to_create(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"account_country": "Nowhere"})

        self.assertContains(response, "Nothing matches these filters")

    def test_sidebar_marks_contracts_active(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, f'nav-link active" href="{self.url}"')


class OpportunityPortfolioTests(BaseTestCase):
    url = reverse("portfolio:opportunities")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other = make_account("Globex", owner=cls.outsider)
        make_opportunity(cls.account, "Deal A", value=Decimal("1000.00"), stage=stage("Proposal"))
        make_opportunity(other, "Deal B", value=Decimal("500.00"), stage=stage("Negotiation"))
        make_opportunity(other, "Deal C", value=Decimal("900.00"), stage=stage("won"))

    def test_totals_include_estimated_value(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertEqual(
            response.context["totals"],
            {"count": 2, "total_value": Decimal("1500.00"), "estimated_value": Decimal("1000.00")},
        )
        self.assertContains(response, 'data-testid="portfolio-estimated-value"')

    def test_closed_won_tab(self):
        self.login(self.teammate)

        response = self.client.get(self.url, {"status": "closed_won"})

        self.assertEqual([row.name for row in response.context["page"]], ["Deal C"])
        tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
        self.assertEqual(tabs, {"active": 2, "on_hold": 0, "closed_won": 1, "closed_lost": 0, "all": 3})

    def test_filter_by_stage(self):
        self.login(self.teammate)

        response = self.client.get(self.url, {"stage": stage("Negotiation").pk})

        self.assertEqual([row.name for row in response.context["page"]], ["Deal B"])


# Each portfolio view's URL name, its create view's URL name, the create button's label and its empty state.
_CREATE_BUTTONS = [
    ("portfolio:contracts", "contracts:create", "New contract", "No contracts"),
    ("portfolio:opportunities", "opportunities:create", "New opportunity", "No opportunities"),
]


class CreateButtonTests(BaseTestCase):
    """Both portfolio views offer writers a create button, with rows or without, and offer contributors none."""

    def test_writer_gets_create_button(self):
        make_contract(self.account)
        make_opportunity(self.account)
        self.login(self.owner)
        for url_name, create_url_name, label, _ in _CREATE_BUTTONS:
            with self.subTest(view=url_name):
                response = self.client.get(reverse(url_name))

                self.assertContains(response, reverse(create_url_name))
                self.assertContains(response, label)

    def test_empty_view_offers_to_create(self):
        self.login(self.owner)
        for url_name, create_url_name, _, empty_text in _CREATE_BUTTONS:
            with self.subTest(view=url_name):
                response = self.client.get(reverse(url_name))

                self.assertContains(response, empty_text)
                self.assertContains(response, reverse(create_url_name))

    def test_contributor_gets_no_create_button(self):
        make_contract(self.account)
        make_opportunity(self.account)
        self.login(self.contributor)
        for url_name, create_url_name, label, _ in _CREATE_BUTTONS:
            with self.subTest(view=url_name):
                response = self.client.get(reverse(url_name))

                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, reverse(create_url_name))
                self.assertNotContains(response, label)

    def test_contributor_empty_portfolio_offers_no_create(self):
        self.login(self.contributor)
        for url_name, create_url_name, _, empty_text in _CREATE_BUTTONS:
            with self.subTest(view=url_name):
                response = self.client.get(reverse(url_name))

                self.assertContains(response, empty_text)
                self.assertNotContains(response, reverse(create_url_name))


class PortfolioQueryCountTests(BaseTestCase):
    """A portfolio page runs the same number of queries for 3 rows as for 60, with or without an account filter."""

    def _add_rows(self, count: int) -> None:
        for _ in range(count):
            account = make_account(owner=self.owner)
            make_contract(account, owner=self.owner, end_date=datetime.date(2027, 1, 1))
            make_opportunity(account, owner=self.owner)

    def _count_queries(self, url_name: str) -> tuple[int, int]:
        """Load the page twice, so caches such as the organisation's are warm, and count the second load."""
        params = {"owner": self.owner.pk, "value_min": "0"}
        self.client.get(reverse(url_name), params)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse(url_name), params)
        return len(queries), len(response.context["page"].object_list)

    def _set_account_filter(self) -> None:
        session = self.client.session
        session["account_filter"] = {"type": ["normal"], "owner": [str(self.owner.pk)]}
        session.save()

    def _assert_queries_constant(self, url_name: str) -> None:
        self._add_rows(3)
        few, few_rows = self._count_queries(url_name)
        self._add_rows(57)
        many, many_rows = self._count_queries(url_name)

        self.assertEqual((few_rows, many_rows), (3, 50))
        self.assertEqual(few, many)

    def test_contracts(self):
        self.login(self.admin)

        self._assert_queries_constant("portfolio:contracts")

    def test_opportunities(self):
        self.login(self.admin)

        self._assert_queries_constant("portfolio:opportunities")

    def test_opportunities_with_account_filter(self):
        self.login(self.admin)
        self._set_account_filter()

        self._assert_queries_constant("portfolio:opportunities")
