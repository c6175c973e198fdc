import json

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.opportunities.models import OpportunityContact
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunityContactRemoveTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Plant rollout")
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")
        make_opportunity_contact(self.opportunity, self.contact)
        self.url = reverse("opportunities:contact-remove", args=[self.opportunity.pk, self.contact.pk])
        self.login(self.owner)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.post(self.url, **HTMX)

        self.assertEqual(response.status_code, 403)
        self.assertTrue(OpportunityContact.objects.exists())

    def test_team_and_admin_may_remove(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                OpportunityContact.objects.get_or_create(
                    opportunity=self.opportunity, contact=self.contact, defaults={"buying_role": "user"}
                )
                self.login(user)

                response = self.client.post(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertFalse(OpportunityContact.objects.exists())

    def test_get_not_allowed(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)

    def test_htmx_returns_row(self):
        response = self.client.post(self.url, **HTMX)

        self.assertTemplateUsed(response, "opportunities/_opportunity_row.html")
        self.assertNotContains(response, "Wile Coyote")
        self.assertIn("opportunities-changed", json.loads(response["HX-Trigger"]))

    def test_without_htmx_redirects_next(self):
        response = self.client.post(self.url, {"next": self.opportunity.get_absolute_url()}, follow=True)

        self.assertRedirects(response, self.opportunity.get_absolute_url())
        self.assertContains(response, "Wile Coyote removed from the opportunity Plant rollout.")

    def test_contact_of_other_account_not_found(self):
        stranger = make_contact(make_account("Globex"), "Stranger")
        url = reverse("opportunities:contact-remove", args=[self.opportunity.pk, stranger.pk])

        response = self.client.post(url, **HTMX)

        self.assertEqual(response.status_code, 404)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url)

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(OpportunityContact.objects.exists())
