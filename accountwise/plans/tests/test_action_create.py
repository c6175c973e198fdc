import datetime

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.plans.models import PlanAction
from accountwise.test import BaseTestCase, make_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


class ActionCreateTests(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.account, "Grow")
        self.url = reverse("plans:action-create", args=[self.plan.pk])
        self.login(self.owner)

    def _data(self, **changes) -> dict:
        data = {"title": "Call the CFO", "owner": self.teammate.pk, "due_date": "2027-02-01"}
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url, self._data(), **HTMX)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(PlanAction.objects.exists())

    def test_team_and_admin_may_add(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                self.client.post(self.url, self._data(title=f"By {user.username}"), **HTMX)

                self.assertTrue(self.plan.actions.filter(title=f"By {user.username}").exists())

    def test_get_not_allowed(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_saves_fields(self):
        self.client.post(self.url, self._data(), **HTMX)

        action = PlanAction.objects.get()
        self.assertEqual(action.plan, self.plan)
        self.assertEqual(action.title, "Call the CFO")
        self.assertEqual(action.owner, self.teammate)
        self.assertEqual(action.due_date, datetime.date(2027, 2, 1))
        self.assertFalse(action.done)

    def test_htmx_returns_actions_with_progress(self):
        response = self.client.post(self.url, self._data(), **HTMX)

        self.assertTemplateUsed(response, "plans/_plan_actions.html")
        self.assertContains(response, "Call the CFO")
        self.assertContains(response, "0 of 1 action done")

    def test_without_htmx_redirects(self):
        response = self.client.post(self.url, self._data(), follow=True)

        self.assertRedirects(response, self.plan.get_absolute_url())
        self.assertContains(response, "Action Call the CFO added.")

    def test_title_required_keeps_input(self):
        response = self.client.post(self.url, self._data(title="", due_date="2027-03-04"), **HTMX)

        self.assertEqual(response.context["action_form"].errors["title"], ["Enter what needs to be done."])
        self.assertContains(response, 'value="2027-03-04"')
        self.assertFalse(PlanAction.objects.exists())

    def test_invalid_without_htmx_shows_page(self):
        response = self.client.post(self.url, self._data(due_date="someday"))

        self.assertTemplateUsed(response, "plans/plan_detail.html")
        self.assertContains(response, "Enter the due date as a date, such as 2027-03-31.")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(PlanAction.objects.exists())
