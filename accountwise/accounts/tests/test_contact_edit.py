from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase, make_account, make_contact


class ContactEditTests(BaseTestCase):
    def setUp(self):
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")
        self.url = reverse("accounts:contact-edit", args=[self.contact.pk])
        self.login(self.owner)

    def _post(self, **fields):
        data = {"first_name": "Wile", "last_name": "Coyote"}
        data.update(fields)
        return self.client.post(self.url, data)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get = self.client.get(self.url)
        post = self._post(job_title="Hacked")

        self.assertEqual(get.status_code, 403)
        self.assertEqual(post.status_code, 403)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.job_title, "")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 200)
                self._post(job_title=f"Set by {user.username}")
                self.contact.refresh_from_db()
                self.assertEqual(self.contact.job_title, f"Set by {user.username}")

    def test_missing_contact_not_found(self):
        response = self.client.get(reverse("accounts:contact-edit", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_edit_saves_with_message(self):
        response = self.client.post(
            self.url, {"first_name": "Wile E.", "last_name": "Coyote", "is_key_player": "on"},
            follow=True,
        )

        self.contact.refresh_from_db()
        self.assertEqual(self.contact.first_name, "Wile E.")
        self.assertTrue(self.contact.is_key_player)
        self.assertContains(response, "Contact Wile E. Coyote saved.")

    def test_self_not_offered_as_manager(self):
        response = self.client.get(self.url)

        self.assertNotIn(self.contact, response.context["form"].fields["reports_to"].queryset)

    def test_reports_to_cycle_rejected(self):
        manager = make_contact(self.account, "Runner", first_name="Road", reports_to=self.contact)
        report = make_contact(self.account, "Fudd", first_name="Elmer", reports_to=manager)

        response = self._post(reports_to=report.pk)

        self.assertEqual(
            response.context["form"].errors["reports_to"],
            ["Elmer Fudd already reports to Wile Coyote (through Road Runner), so Wile Coyote "
             "cannot report to Elmer Fudd. Choose someone who does not report to Wile Coyote."],
        )
        self.contact.refresh_from_db()
        self.assertIsNone(self.contact.reports_to)

    def test_direct_report_cycle_rejected(self):
        report = make_contact(self.account, "Runner", first_name="Road", reports_to=self.contact)

        response = self._post(reports_to=report.pk)

        self.assertEqual(
            response.context["form"].errors["reports_to"],
            ["Road Runner already reports to Wile Coyote, so Wile Coyote cannot report to "
             "Road Runner. Choose someone who does not report to Wile Coyote."],
        )
        self.assertContains(response, "Choose someone who does not report to Wile Coyote.")
        self.contact.refresh_from_db()
        self.assertIsNone(self.contact.reports_to)

    def test_reports_to_other_account_rejected(self):
        stranger = make_contact(make_account("Globex"), "Stranger")

        response = self._post(reports_to=stranger.pk)

        self.assertIn("reports_to", response.context["form"].errors)
        self.contact.refresh_from_db()
        self.assertIsNone(self.contact.reports_to)

    def test_heading_keeps_saved_name(self):
        response = self._post(last_name="", first_name="Typed")

        self.assertContains(response, "<h1>Edit Wile Coyote</h1>", html=True)
        self.assertContains(response, 'value="Typed"')

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        get = self.client.get(self.url)
        post = self._post(job_title="CEO")

        self.assertEqual(get.status_code, 302)
        self.assertEqual(post.status_code, 302)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.job_title, "")

    def test_former_owner_stays_offered(self):
        self.contact.relationship_owner = self.teammate
        self.contact.save()
        self.teammate.is_active = False
        self.teammate.save()

        response = self.client.get(self.url)

        self.assertIn(self.teammate, response.context["form"].fields["relationship_owner"].queryset)
