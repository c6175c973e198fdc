"""Defined reports on accounts grouped by parent account, under team-only visibility.

A user may work a subsidiary of a group they cannot see. The report then
counts the subsidiary under "Not shared with you", never under the group's name.
"""

from accountwise.core.models import AccountVisibility
from accountwise.core.permissions import viewable_accounts
from accountwise.reports.defined import run_report
from accountwise.reports.models import ReportDefinition
from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import BaseTestCase, make_account


class ParentGroupingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # dave, the outsider, works five accounts. Acme Corporation and Hooli, owned by bob, are hidden from him.
        cls.hooli = make_account("Hooli", owner=cls.owner)
        cls.initech = make_account("Initech Holdings", owner=cls.outsider)
        make_account("Acme Iberia", owner=cls.outsider, parent=cls.account)
        make_account("Acme France", owner=cls.outsider, parent=cls.account)
        make_account("Hooli Europe", owner=cls.outsider, parent=cls.hooli)
        make_account("Initech Labs", owner=cls.outsider, parent=cls.initech)
        cls.definition = ReportDefinition.objects.create(
            name="Accounts by group", entity="account", group_by="parent", measures=["count"]
        )

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)

    def run_as(self, user):
        return run_report(self.definition, viewable_accounts(user), user=user)

    def test_hidden_parents_grouped_unnamed(self):
        result = self.run_as(self.outsider)

        self.assertEqual(
            result.rows,
            [("Initech Holdings", [1]), ("Not shared with you", [3]), ("No value", [1])],
        )
        self.assertEqual(result.totals, [5])

    def test_administrator_sees_every_parent(self):
        result = self.run_as(self.admin)

        self.assertEqual(
            result.rows,
            [("Acme Corporation", [2]), ("Hooli", [1]), ("Initech Holdings", [1]), ("No value", [3])],
        )

    def test_everyone_visibility_names_parents(self):
        self.set_account_visibility(AccountVisibility.EVERYONE)

        result = self.run_as(self.outsider)

        self.assertEqual(result.rows[0], ("Acme Corporation", [2]))
        self.assertNotIn("Not shared with you", [label for label, _ in result.rows])

    def test_team_member_sees_parent_name(self):
        make_account("Acme Benelux", owner=self.owner, parent=self.account)

        result = self.run_as(self.owner)

        self.assertIn(("Acme Corporation", [1]), result.rows)

    def test_without_user_names_every_parent(self):
        result = run_report(self.definition, viewable_accounts(self.outsider))

        self.assertEqual(result.rows[0], ("Acme Corporation", [2]))


class ParentGroupingPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_account("Acme Iberia", owner=cls.outsider, parent=cls.account)
        cls.definition = ReportDefinition.objects.create(
            name="Accounts by group", entity="account", group_by="parent", measures=["count"]
        )

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def test_page_hides_parent_name(self):
        response = self.client.get(self.definition.get_absolute_url())

        self.assertContains(response, "Not shared with you")
        self.assertNotContains(response, "Acme Corporation")

    def test_csv_hides_parent_name(self):
        response = self.client.get(self.definition.get_absolute_url(), {"download": "groups", "format": "csv"})

        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines, ["Parent account,Count", "Not shared with you,1", "Total,1"])

    def test_query_count_constant(self):
        def grow():
            for index in range(5):
                hidden_group = make_account(f"Hidden group {index}", owner=self.owner)
                make_account(f"Subsidiary {index}", owner=self.outsider, parent=hidden_group)
                shared_group = make_account(f"Shared group {index}", owner=self.outsider)
                make_account(f"Branch {index}", owner=self.outsider, parent=shared_group)

        assert_constant_queries(self, lambda: self.client.get(self.definition.get_absolute_url()), grow)
