from django.urls import reverse

from accountwise.plans.models import PlanAction
from accountwise.test import BaseTestCase, make_plan, make_plan_action

HTMX = {"HTTP_HX_REQUEST": "true"}


class ActionDeleteTests(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.account, "Grow")
        self.action = make_plan_action(self.plan, "Call the CFO")
        self.url = reverse("plans:action-delete", args=[self.action.pk])
        self.login(self.owner)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url, **HTMX)

        self.assertEqual(response.status_code, 403)
        self.assertTrue(PlanAction.objects.exists())

    def test_team_and_admin_may_delete(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                action = make_plan_action(self.plan)
                self.login(user)

                self.client.post(reverse("plans:action-delete", args=[action.pk]), **HTMX)

                self.assertFalse(PlanAction.objects.filter(pk=action.pk).exists())

    def test_htmx_returns_actions(self):
        response = self.client.post(self.url, **HTMX)

        self.assertTemplateUsed(response, "plans/_plan_actions.html")
        self.assertContains(response, "No actions yet.")

    def test_without_htmx_redirects(self):
        response = self.client.post(self.url, follow=True)

        self.assertRedirects(response, self.plan.get_absolute_url())
        self.assertContains(response, "Action Call the CFO deleted.")

    def test_get_not_allowed(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)
