import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import AccountStatus
from accountwise.core.models import Organisation
from accountwise.plans.models import PlanStatus
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
)


class AccountPlansTabTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:plans", args=[self.account.pk])
        self.create_url = f"{reverse('plans:create')}?account={self.account.pk}"
        self.login(self.owner)

    def test_everyone_may_view(self):
        make_plan(self.account, "Grow")
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertContains(response, "Grow</a>")

    def test_missing_account_not_found(self):
        self.assertEqual(self.client.get(reverse("accounts:plans", args=[99999])).status_code, 404)

    def test_tab_marked_active(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'class="nav-link active" aria-current="page" href="{self.url}"')
        self.assertContains(response, "<title>Plans · Acme Corporation")

    def test_lists_plan_details(self):
        contract = make_contract(self.account, "Plant rollout")
        make_plan(
            self.account, "Grow", objective="Win all plants.", owner=self.teammate, status=PlanStatus.ACTIVE,
            start_date=datetime.date(2027, 1, 4), due_date=datetime.date(2027, 6, 30), contract=contract,
        )

        response = self.client.get(self.url)

        self.assertContains(response, "Win all plants.")
        self.assertContains(response, '<dd class="col-7">Charlie</dd>', html=True)
        self.assertContains(response, "Jan 4, 2027 – Jun 30, 2027")
        self.assertContains(response, '<span class="badge text-bg-success">Active</span>', html=True)
        self.assertContains(response, f'href="{contract.get_absolute_url()}" data-testid="plan-basis"')

    def test_lists_actions_with_owners_and_dates(self):
        plan = make_plan(self.account, "Grow")
        make_plan_action(plan, "Call the CFO", owner=self.teammate, due_date=datetime.date(2027, 2, 1))
        make_plan_action(plan, "Site visit", done=True)

        response = self.client.get(self.url)

        self.assertContains(response, "Call the CFO")
        self.assertContains(response, "<td>Charlie</td>", html=True)
        self.assertContains(response, "Feb 1, 2027")
        self.assertContains(response, '<tr class="aw-action-done" data-testid="plan-action">')
        self.assertContains(response, "1 of 2 actions done")

    def test_overdue_actions_stand_out(self):
        plan = make_plan(self.account, "Grow")
        make_plan_action(plan, "Late", due_date=timezone.localdate() - datetime.timedelta(days=2))

        response = self.client.get(self.url)

        self.assertContains(response, '<tr class="aw-overdue" data-testid="plan-action">')
        self.assertContains(response, 'data-testid="overdue-count"')

    def test_only_this_accounts_plans(self):
        make_plan(make_account("Globex"), "Globex plan")

        response = self.client.get(self.url)

        self.assertNotContains(response, "Globex plan")

    def test_empty_state_offers_create(self):
        response = self.client.get(self.url)

        self.assertContains(response, "No plans yet")
        self.assertContains(response, self.create_url)

    def test_outsider_not_offered_create(self):
        make_plan(self.account, "Grow")
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, self.create_url)

    def test_archived_account_read_only(self):
        plan = make_plan(self.account, "Grow")
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertNotContains(response, self.create_url)
        self.assertNotContains(response, reverse("plans:edit", args=[plan.pk]))

    def test_queries_independent_of_plans(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        plan = make_plan(self.account, owner=self.owner, contract=make_contract(self.account))
        make_plan_action(plan, owner=self.owner)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for number in range(6):
            plan = make_plan(self.account, owner=self.teammate, opportunity=make_opportunity(self.account))
            for _ in range(3):
                make_plan_action(plan, owner=self.teammate, done=number % 2 == 0)

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["plans"]), 7)
