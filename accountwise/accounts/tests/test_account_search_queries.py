from django.urls import reverse

from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity


class AccountSearchQueryCountTests(BaseTestCase):
    """A search of the accounts list runs as many queries for 2 matches as for 30."""

    def test_search_queries_constant(self):
        self.login(self.owner)
        make_account("Harbor Logistics", owner=self.owner)
        make_account("Summit Logistics", owner=self.owner)

        def load():
            response = self.client.get(reverse("accounts:list"), {"q": "logistics"})
            self.assertEqual(response.status_code, 200)

        def grow():
            for number in range(28):
                account = make_account(f"Logistics {number:02}", owner=self.owner)
                make_contract(account)
                make_opportunity(account)

        assert_constant_queries(self, load, grow)
