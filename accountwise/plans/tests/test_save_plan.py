from accountwise.plans.actions import PlanExistsError, save_plan
from accountwise.plans.models import Plan
from accountwise.test import BaseTestCase, make_contract, make_opportunity, make_plan


class SavePlanTests(BaseTestCase):
    def test_creates_plan(self):
        plan = save_plan(Plan(account=self.account, name="Grow", objective="Grow."), self.owner)

        self.assertEqual(Plan.objects.get(), plan)

    def test_second_plan_for_contract_rejected(self):
        contract = make_contract(self.account)
        existing = make_plan(self.account, contract=contract)

        with self.assertRaises(PlanExistsError) as raised:
            save_plan(Plan(account=self.account, name="Again", objective="Grow.", contract=contract), self.owner)

        self.assertEqual(raised.exception.plan, existing)
        self.assertEqual(Plan.objects.count(), 1)

    def test_resaving_own_plan_allowed(self):
        opportunity = make_opportunity(self.account)
        plan = make_plan(self.account, opportunity=opportunity)
        plan.name = "Renamed"

        save_plan(plan, self.owner)

        plan.refresh_from_db()
        self.assertEqual(plan.name, "Renamed")
