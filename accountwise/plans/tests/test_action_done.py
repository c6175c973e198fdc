from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase, make_plan, make_plan_action

HTMX = {"HTTP_HX_REQUEST": "true"}


class ActionDoneTests(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.account, "Grow")
        self.action = make_plan_action(self.plan, "Call the CFO")
        make_plan_action(self.plan, "Site visit")
        self.url = reverse("plans:action-done", args=[self.action.pk])
        self.login(self.owner)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url, {"done": "1"}, **HTMX)

        self.assertEqual(response.status_code, 403)
        self.action.refresh_from_db()
        self.assertFalse(self.action.done)

    def test_team_and_admin_may_mark(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                self.client.post(self.url, {"done": "1"}, **HTMX)

                self.action.refresh_from_db()
                self.assertTrue(self.action.done)
                self.client.post(self.url, {"done": "0"}, **HTMX)

    def test_marks_done_and_updates_progress(self):
        response = self.client.post(self.url, {"done": "1"}, **HTMX)

        self.action.refresh_from_db()
        self.assertTrue(self.action.done)
        self.assertContains(response, "<strong>50 %</strong>", html=True)
        self.assertContains(response, 'aria-label="Mark Call the CFO as not done"')

    def test_posting_done_twice_keeps_done(self):
        self.client.post(self.url, {"done": "1"}, **HTMX)
        self.client.post(self.url, {"done": "1"}, **HTMX)

        self.action.refresh_from_db()
        self.assertTrue(self.action.done)

    def test_marks_not_done(self):
        self.action.done = True
        self.action.save()

        self.client.post(self.url, {"done": "0"}, **HTMX)

        self.action.refresh_from_db()
        self.assertFalse(self.action.done)

    def test_without_htmx_redirects(self):
        response = self.client.post(self.url, {"done": "1"}, follow=True)

        self.assertRedirects(response, self.plan.get_absolute_url())
        self.assertContains(response, "Action Call the CFO marked done.")

    def test_get_not_allowed(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url, {"done": "1"}, **HTMX)

        self.assertEqual(response["HX-Redirect"], self.account.get_absolute_url())
        self.action.refresh_from_db()
        self.assertFalse(self.action.done)
