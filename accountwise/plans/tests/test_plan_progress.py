import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountwise.plans.models import Plan, PlanStatus
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
)


class PlanProgressTests(BaseTestCase):
    def _progress(self, plan) -> Plan:
        return Plan.objects.with_progress().get(pk=plan.pk)

    def test_share_of_actions_done(self):
        plan = make_plan(self.account)
        make_plan_action(plan, done=True)
        make_plan_action(plan, done=True)
        make_plan_action(plan)

        figures = self._progress(plan)

        self.assertEqual(figures.action_count, 3)
        self.assertEqual(figures.done_count, 2)
        self.assertAlmostEqual(figures.progress, 200 / 3)

    def test_no_actions_no_progress(self):
        figures = self._progress(make_plan(self.account))

        self.assertEqual(figures.action_count, 0)
        self.assertIsNone(figures.progress)

    def test_overdue_counts_open_past_actions(self):
        today = timezone.localdate()
        plan = make_plan(self.account)
        make_plan_action(plan, due_date=today - datetime.timedelta(days=1))
        make_plan_action(plan, due_date=today - datetime.timedelta(days=5), done=True)
        make_plan_action(plan, due_date=today)
        make_plan_action(plan)

        self.assertEqual(self._progress(plan).overdue_count, 1)

    def test_action_overdue_property(self):
        today = timezone.localdate()
        plan = make_plan(self.account)

        self.assertTrue(make_plan_action(plan, due_date=today - datetime.timedelta(days=1)).is_overdue)
        self.assertFalse(make_plan_action(plan, due_date=today).is_overdue)
        self.assertFalse(make_plan_action(plan, due_date=today - datetime.timedelta(days=1), done=True).is_overdue)
        self.assertFalse(make_plan_action(plan).is_overdue)

    def test_tab_order_by_status_then_due(self):
        make_plan(self.account, "Completed", status=PlanStatus.COMPLETED, due_date=datetime.date(2026, 1, 1))
        make_plan(self.account, "Draft", status=PlanStatus.DRAFT)
        make_plan(self.account, "Active undated", status=PlanStatus.ACTIVE)
        make_plan(self.account, "Active soon", status=PlanStatus.ACTIVE, due_date=datetime.date(2026, 5, 1))

        names = [plan.name for plan in Plan.objects.in_tab_order()]

        self.assertEqual(names, ["Active soon", "Active undated", "Draft", "Completed"])


class PlanRulesTests(BaseTestCase):
    def test_database_allows_one_basis_at_most(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_plan(self.account, contract=make_contract(self.account), opportunity=make_opportunity(self.account))

    def test_database_allows_one_plan_per_contract(self):
        contract = make_contract(self.account)
        make_plan(self.account, contract=contract)

        with self.assertRaises(IntegrityError), transaction.atomic():
            make_plan(self.account, contract=contract)

    def test_database_rejects_due_before_start(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_plan(self.account, start_date=datetime.date(2026, 5, 2), due_date=datetime.date(2026, 5, 1))

    def test_clean_rejects_other_accounts_business(self):
        plan = Plan(
            account=self.account, name="Plan", objective="Grow.",
            opportunity=make_opportunity(make_account("Globex"), "Globex deal"),
        )

        with self.assertRaises(ValidationError) as raised:
            plan.full_clean()

        self.assertEqual(
            raised.exception.message_dict["opportunity"],
            ["Globex deal belongs to Globex, not to Acme Corporation; choose business of Acme Corporation."],
        )

    def test_basis_deleted_plan_stays(self):
        contract = make_contract(self.account)
        plan = make_plan(self.account, contract=contract)

        contract.delete()

        plan.refresh_from_db()
        self.assertIsNone(plan.contract)
