from accountwise.accounts.models import Account
from accountwise.reports.benchmark import MAIN_QUERIES
from accountwise.reports.tests.factories import make_portfolio
from accountwise.test import BaseTestCase


class MainQueryTests(BaseTestCase):
    def test_each_runs_alone(self):
        make_portfolio(self)

        for name, run in MAIN_QUERIES.items():
            with self.subTest(name=name):
                self.assertIsNotNone(run(Account.objects.all()))
