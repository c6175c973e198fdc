from django.urls import reverse

from accountwise.plans.models import Plan, PlanAction
from accountwise.test import BaseTestCase, make_contract, make_plan, make_plan_action


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:plan-detail", args=[pk]) if pk else reverse("api:v1:plan-list")


def _action_url(pk: int | None = None) -> str:
    return reverse("api:v1:plan-action-detail", args=[pk]) if pk else reverse("api:v1:plan-action-list")


class PlansApiTests(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.account, "Grow Acme")

    def test_member_lists_plans(self):
        self.login(self.outsider)

        response = self.client.get(_url())

        self.assertEqual([p["name"] for p in response.json()["results"]], ["Grow Acme"])

    def test_owner_creates_plan_on_contract(self):
        contract = make_contract(self.account)
        self.login(self.owner)

        response = self.client.post(
            _url(), {"account": self.account.pk, "name": "Renew", "objective": "Renew it.",
                     "based_on": f"contract-{contract.pk}"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 201)
        self.assertEqual(Plan.objects.get(name="Renew").contract, contract)
        self.assertEqual(response.json()["based_on"], f"contract-{contract.pk}")

    def test_second_plan_on_contract_is_rejected(self):
        contract = make_contract(self.account)
        make_plan(self.account, contract=contract)
        self.login(self.owner)

        response = self.client.patch(_url(self.plan.pk), {"based_on": f"contract-{contract.pk}"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("based_on", response.json())

    def test_missing_objective_is_named(self):
        self.login(self.owner)

        response = self.client.post(_url(), {"account": self.account.pk, "name": "Empty"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("objective", response.json())

    def test_outsider_cannot_create_plan(self):
        self.login(self.outsider)

        response = self.client.post(
            _url(), {"account": self.account.pk, "name": "Mine", "objective": "Take over."}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 403)

    def test_admin_deletes_plan(self):
        self.login(self.admin)

        response = self.client.delete(_url(self.plan.pk))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(Plan.objects.filter(pk=self.plan.pk).exists())

    def test_teammate_adds_action(self):
        self.login(self.teammate)

        response = self.client.post(_action_url(), {"plan": self.plan.pk, "title": "Call the CIO"}, content_type="application/json")

        self.assertEqual(response.status_code, 201)
        self.assertTrue(self.plan.actions.filter(title="Call the CIO").exists())

    def test_missing_title_is_named(self):
        self.login(self.teammate)

        response = self.client.post(_action_url(), {"plan": self.plan.pk}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("title", response.json())

    def test_owner_marks_action_done(self):
        action = make_plan_action(self.plan, "Call the CIO")
        self.login(self.owner)

        response = self.client.patch(_action_url(action.pk), {"done": True}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        action.refresh_from_db()
        self.assertTrue(action.done)
        self.assertEqual(action.title, "Call the CIO")

    def test_outsider_cannot_change_action(self):
        action = make_plan_action(self.plan)
        self.login(self.outsider)

        response = self.client.patch(_action_url(action.pk), {"done": True}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        action.refresh_from_db()
        self.assertFalse(action.done)

    def test_owner_deletes_action(self):
        action = make_plan_action(self.plan)
        self.login(self.owner)

        response = self.client.delete(_action_url(action.pk))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(PlanAction.objects.filter(pk=action.pk).exists())
