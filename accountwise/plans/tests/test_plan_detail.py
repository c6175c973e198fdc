import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import AccountStatus
from accountwise.core.models import Organisation
from accountwise.test import (
    BaseTestCase,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class PlanDetailTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Plant rollout")
        self.plan = make_plan(
            self.account, "Grow", objective="Win all plants.", owner=self.teammate, contract=self.contract,
        )
        self.url = reverse("plans:detail", args=[self.plan.pk])
        self.login(self.owner)

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Win all plants.")

    def test_missing_plan_not_found(self):
        self.assertEqual(self.client.get(reverse("plans:detail", args=[99999])).status_code, 404)

    def test_links_basis_and_account(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'href="{self.contract.get_absolute_url()}" data-testid="plan-basis"')
        self.assertContains(response, f'<a href="{reverse("accounts:plans", args=[self.account.pk])}">Plans</a>', html=True)

    def test_progress_shown(self):
        make_plan_action(self.plan, done=True)
        make_plan_action(self.plan)
        make_plan_action(self.plan)
        make_plan_action(self.plan)

        response = self.client.get(self.url)

        self.assertContains(response, "<strong>25 %</strong>", html=True)
        self.assertContains(response, "1 of 4 actions done")

    def test_overdue_action_stands_out(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        overdue = make_plan_action(self.plan, "Call the CFO", due_date=yesterday)
        make_plan_action(self.plan, "Done late", due_date=yesterday, done=True)

        response = self.client.get(self.url)

        self.assertContains(response, f'<tr id="action-{overdue.pk}" class="aw-overdue"')
        self.assertContains(response, 'data-testid="overdue-badge"', count=1)
        self.assertContains(response, "1 overdue")

    def test_change_controls_for_team_only(self):
        action = make_plan_action(self.plan)
        self.login(self.outsider)
        outsider_response = self.client.get(self.url)
        self.login(self.teammate)
        teammate_response = self.client.get(self.url)

        for url in (reverse("plans:action-done", args=[action.pk]), reverse("plans:edit", args=[self.plan.pk])):
            self.assertNotContains(outsider_response, url)
            self.assertContains(teammate_response, url)
        self.assertNotContains(outsider_response, 'data-testid="action-add-form"')

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertContains(response, "so this plan is read-only")
        self.assertNotContains(response, reverse("plans:edit", args=[self.plan.pk]))

    def test_htmx_serves_actions_card(self):
        response = self.client.get(self.url, **HTMX)

        self.assertTemplateUsed(response, "plans/_plan_actions.html")
        self.assertTemplateNotUsed(response, "plans/plan_detail.html")
        self.assertIn("HX-Request", response["Vary"])

    def test_queries_independent_of_actions(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        make_plan_action(self.plan, owner=self.owner)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        for number in range(10):
            make_plan_action(self.plan, owner=self.teammate, done=number % 2 == 0)

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["actions"]), 11)

    def test_opportunity_basis_linked(self):
        opportunity = make_opportunity(self.account, "Upsell")
        plan = make_plan(self.account, opportunity=opportunity)

        response = self.client.get(plan.get_absolute_url())

        self.assertContains(response, f'href="{opportunity.get_absolute_url()}" data-testid="plan-basis"')
