import datetime

from django.urls import reverse

from accountwise.test import BaseTestCase, make_account, make_plan, make_plan_action

HTMX = {"HTTP_HX_REQUEST": "true"}


class ActionEditTests(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.account, "Grow")
        self.action = make_plan_action(self.plan, "Call the CFO")
        self.url = reverse("plans:action-edit", args=[self.action.pk])
        self.login(self.owner)

    def _data(self, **changes) -> dict:
        data = {"title": "Meet the CFO", "owner": self.owner.pk, "due_date": "2027-04-01"}
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url, **HTMX)
        post_response = self.client.post(self.url, self._data(), **HTMX)

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.action.refresh_from_db()
        self.assertEqual(self.action.title, "Call the CFO")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                self.client.post(self.url, self._data(title=f"By {user.username}"), **HTMX)

                self.action.refresh_from_db()
                self.assertEqual(self.action.title, f"By {user.username}")

    def test_missing_action_not_found(self):
        self.assertEqual(self.client.get(reverse("plans:action-edit", args=[99999])).status_code, 404)

    def test_htmx_get_shows_inline_form(self):
        response = self.client.get(self.url, **HTMX)

        self.assertTemplateUsed(response, "plans/_plan_actions.html")
        self.assertContains(response, 'data-testid="action-edit-form"')
        self.assertContains(response, 'value="Call the CFO"')

    def test_page_without_htmx(self):
        response = self.client.get(self.url)

        self.assertTemplateUsed(response, "plans/plan_detail.html")
        self.assertContains(response, 'data-testid="action-edit-form"')

    def test_saves_changes(self):
        response = self.client.post(self.url, self._data(), **HTMX)

        self.action.refresh_from_db()
        self.assertEqual(self.action.title, "Meet the CFO")
        self.assertEqual(self.action.owner, self.owner)
        self.assertEqual(self.action.due_date, datetime.date(2027, 4, 1))
        self.assertNotContains(response, 'data-testid="action-edit-form"')

    def test_invalid_keeps_form_open(self):
        response = self.client.post(self.url, self._data(title=""), **HTMX)

        self.assertContains(response, 'data-testid="action-edit-form"')
        self.assertContains(response, "Enter what needs to be done.")
        self.action.refresh_from_db()
        self.assertEqual(self.action.title, "Call the CFO")

    def test_other_accounts_action_forbidden_for_member(self):
        other_plan = make_plan(make_account("Globex"))
        other_action = make_plan_action(other_plan)

        response = self.client.post(reverse("plans:action-edit", args=[other_action.pk]), self._data())

        self.assertEqual(response.status_code, 403)
