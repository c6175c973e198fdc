from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import Contract
from accountwise.plans.models import Plan, PlanAction
from accountwise.test import BaseTestCase, make_contract, make_plan, make_plan_action


class PlanDeleteTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Plant rollout")
        self.plan = make_plan(self.account, "Grow", contract=self.contract)
        make_plan_action(self.plan)
        self.url = reverse("plans:delete", args=[self.plan.pk])
        self.login(self.owner)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 403)
        self.assertTrue(Plan.objects.exists())

    def test_team_and_admin_may_delete(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                plan = make_plan(self.account)
                self.login(user)

                self.client.post(reverse("plans:delete", args=[plan.pk]))

                self.assertFalse(Plan.objects.filter(pk=plan.pk).exists())

    def test_get_asks_confirmation(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Delete <strong>Grow</strong> and its 1 action from Acme Corporation?")
        self.assertContains(response, "Plant rollout stays")

    def test_post_deletes_actions_keeps_contract(self):
        response = self.client.post(self.url, follow=True)

        self.assertRedirects(response, reverse("accounts:plans", args=[self.account.pk]))
        self.assertContains(response, "Plan Grow deleted.")
        self.assertFalse(PlanAction.objects.exists())
        self.assertTrue(Contract.objects.filter(pk=self.contract.pk).exists())

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url)

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(Plan.objects.exists())
