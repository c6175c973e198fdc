import datetime
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
    stage,
)

HOME = reverse("core:home")
TODAY = datetime.date(2026, 12, 4)


def _today():
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


def _days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


class DashboardTests(BaseTestCase):
    def setUp(self):
        self.globex = make_account("Globex", owner=self.outsider)

    def _get(self, user):
        self.login(user)
        with _today():
            return self.client.get(HOME)

    def test_requires_login(self):
        response = self.client.get(HOME)

        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_contracts_ending_soon_of_own_accounts(self):
        make_contract(self.account, "Ends in 90 days", end_date=_days(90))
        make_contract(self.account, "Ends in 91 days", end_date=_days(91))
        make_contract(self.account, "Ended yesterday", end_date=_days(-1))
        make_contract(self.account, "Archived", end_date=_days(5), status=ContractStatus.ARCHIVED)
        make_contract(self.globex, "Globex support", end_date=_days(5))

        response = self._get(self.teammate)

        self.assertEqual([c.name for c in response.context["ending_soon"]], ["Ends in 90 days"])
        self.assertEqual(response.context["ending_soon_count"], 1)

    def test_open_opportunities_by_stage(self):
        make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("1000.00"), owner=self.owner)
        make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("500.00"))  # No owner: the account owner's.
        make_opportunity(self.account, stage=stage("Negotiation"), value=Decimal("2000.00"), owner=self.teammate)
        make_opportunity(self.account, stage=stage("won"), value=Decimal("9000.00"), owner=self.owner)

        response = self._get(self.owner)

        rows = {row[0]: row for row in response.context["stage_table"].rows}
        self.assertEqual(rows["Proposal"][2:], [2, Decimal("1500.00"), Decimal("900.00")])
        self.assertEqual(rows["Negotiation"][2], 0)
        self.assertEqual(response.context["pipeline"]["total_value"], Decimal("1500.00"))

    def test_teammate_sees_own_opportunities(self):
        make_opportunity(self.account, stage=stage("Negotiation"), value=Decimal("2000.00"), owner=self.teammate)
        make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("500.00"))

        response = self._get(self.teammate)

        self.assertEqual(response.context["pipeline"]["count"], 1)
        self.assertEqual(response.context["pipeline"]["estimated_value"], Decimal("1600.00"))

    def test_overdue_plan_actions(self):
        plan = make_plan(self.account, owner=self.owner)
        make_plan_action(plan, "Call the buyer", owner=self.owner, due_date=_days(-3))
        make_plan_action(plan, "Unassigned", due_date=_days(-1))  # The plan owner's.
        make_plan_action(plan, "Due today", owner=self.owner, due_date=TODAY)
        make_plan_action(plan, "Done late", owner=self.owner, due_date=_days(-5), done=True)
        make_plan_action(plan, "Charlie's", owner=self.teammate, due_date=_days(-2))

        response = self._get(self.owner)

        self.assertEqual([a.title for a in response.context["overdue_actions"]], ["Call the buyer", "Unassigned"])
        self.assertContains(response, "Call the buyer")

    def test_recent_changes_on_own_accounts(self):
        contract = make_contract(self.account, "Support")
        contract.value = Decimal("2000.00")
        contract.save()
        make_contract(self.globex, "Globex deal")

        response = self._get(self.teammate)

        changes = response.context["changes"]
        self.assertEqual([(c["kind"], c["record_name"], c["verb"]) for c in changes[:2]],
                         [("Contract", "Support", "changed"), ("Contract", "Support", "created")])
        self.assertNotIn("Globex deal", [c["record_name"] for c in changes])

    def test_empty_dashboard(self):
        response = self._get(self.outsider)

        self.assertContains(response, "No active contract of your accounts ends in the next 90 days.")
        self.assertContains(response, "No overdue plan actions.")
        self.assertContains(response, "You have no open opportunities.")

    def test_query_count_constant(self):
        self.login(self.owner)
        plan = make_plan(self.account, owner=self.owner)

        def grow():
            for index in range(12):
                make_contract(self.account, end_date=_days(index))
                make_opportunity(self.account, stage=stage("Proposal"), owner=self.owner)
                make_plan_action(plan, owner=self.owner, due_date=_days(-index - 1))

        with _today():
            assert_constant_queries(self, lambda: self.client.get(HOME), grow)
