from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.plans.models import PlanStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, make_plan


class PlanEditTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Plant rollout")
        self.plan = make_plan(self.account, "Grow", contract=self.contract, owner=self.owner)
        self.url = reverse("plans:edit", args=[self.plan.pk])
        self.login(self.owner)

    def _data(self, **changes) -> dict:
        data = {
            "name": "Grow more",
            "objective": "Grow faster.",
            "owner": self.owner.pk,
            "status": PlanStatus.COMPLETED,
            "start_date": "",
            "due_date": "",
            "based_on": f"contract-{self.contract.pk}",
        }
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, self._data())

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.name, "Grow")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, self._data(name=f"By {user.username}"))

                self.assertRedirects(response, self.plan.get_absolute_url(), fetch_redirect_response=False)
                self.plan.refresh_from_db()
                self.assertEqual(self.plan.name, f"By {user.username}")

    def test_missing_plan_not_found(self):
        self.assertEqual(self.client.get(reverse("plans:edit", args=[99999])).status_code, 404)

    def test_current_basis_selected(self):
        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["based_on"].value(), f"contract-{self.contract.pk}")

    def test_switch_basis_to_opportunity(self):
        opportunity = make_opportunity(self.account, "Upsell")

        self.client.post(self.url, self._data(based_on=f"opportunity-{opportunity.pk}"))

        self.plan.refresh_from_db()
        self.assertIsNone(self.plan.contract)
        self.assertEqual(self.plan.opportunity, opportunity)

    def test_drop_basis(self):
        self.client.post(self.url, self._data(based_on=""))

        self.plan.refresh_from_db()
        self.assertIsNone(self.plan.based_on)
        self.assertEqual(self.plan.status, PlanStatus.COMPLETED)

    def test_invalid_keeps_input(self):
        response = self.client.post(self.url, self._data(name="", objective="Typed objective"))

        self.assertEqual(response.context["form"].errors["name"], ["Enter a name for the plan."])
        self.assertContains(response, "Typed objective")
        self.assertContains(response, "<title>Edit Grow")
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.name, "Grow")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.name, "Grow")
