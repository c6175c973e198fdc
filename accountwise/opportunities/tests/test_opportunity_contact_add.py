import json

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.opportunities.models import BuyingRole, OpportunityContact
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunityContactAddTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Plant rollout")
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")
        self.url = reverse("opportunities:contact-add", args=[self.opportunity.pk])
        self.login(self.owner)

    def _post(self, contact=None, buying_role=BuyingRole.DECISION_MAKER, next=None, **extra):
        data = {"contact": (contact or self.contact).pk, "buying_role": buying_role}
        if next:
            data["next"] = next
        return self.client.post(self.url, data, **extra)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url, **HTMX)
        post_response = self._post(**HTMX)

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertFalse(OpportunityContact.objects.exists())

    def test_team_and_admin_may_add(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                OpportunityContact.objects.all().delete()
                self.login(user)

                response = self._post(**HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertTrue(self.opportunity.opportunity_contacts.filter(contact=self.contact).exists())

    def test_missing_opportunity_not_found(self):
        response = self.client.get(reverse("opportunities:contact-add", args=[99999]), **HTMX)

        self.assertEqual(response.status_code, 404)

    def test_htmx_get_shows_inline_form(self):
        response = self.client.get(self.url, **HTMX)

        self.assertTemplateUsed(response, "opportunities/_opportunity_row.html")
        self.assertContains(response, 'data-testid="contact-add-form"')
        self.assertContains(response, f'<option value="{self.contact.pk}">Wile Coyote</option>', html=True)
        self.assertIn("HX-Request", response["Vary"])

    def test_htmx_post_returns_row(self):
        response = self._post(**HTMX)

        self.assertTemplateUsed(response, "opportunities/_opportunity_row.html")
        self.assertContains(response, 'title="Wile Coyote: Decision maker"')
        self.assertIn("opportunities-changed", json.loads(response["HX-Trigger"]))
        link = OpportunityContact.objects.get()
        self.assertEqual(link.buying_role, BuyingRole.DECISION_MAKER)

    def test_page_without_htmx(self):
        response = self.client.get(self.url)

        self.assertTemplateUsed(response, "opportunities/opportunity_contact_form.html")
        self.assertContains(response, "Add a contact to Plant rollout")

    def test_post_without_htmx_redirects(self):
        response = self._post(next=self.account.get_absolute_url(), follow=True)

        self.assertRedirects(response, self.account.get_absolute_url())
        self.assertContains(response, "Wile Coyote added to the opportunity Plant rollout.")
        self.assertTrue(OpportunityContact.objects.filter(contact=self.contact).exists())

    def test_missing_role_keeps_choice(self):
        response = self._post(buying_role="", **HTMX)

        self.assertContains(response, "Choose the contact&#x27;s buying role.")
        self.assertContains(response, f'<option value="{self.contact.pk}" selected>Wile Coyote</option>', html=True)
        self.assertFalse(OpportunityContact.objects.exists())

    def test_contact_of_other_account_rejected(self):
        stranger = make_contact(make_account("Globex"), "Stranger")

        response = self._post(contact=stranger, **HTMX)

        self.assertContains(response, "Choose one of the listed contacts")
        self.assertFalse(OpportunityContact.objects.exists())

    def test_linked_contacts_not_offered(self):
        make_opportunity_contact(self.opportunity, self.contact)
        other = make_contact(self.account, "Runner", first_name="Road")

        response = self.client.get(self.url, **HTMX)

        offered = list(response.context["contact_form"].fields["contact"].queryset)
        self.assertEqual(offered, [other])

    def test_all_linked_says_so(self):
        make_opportunity_contact(self.opportunity, self.contact)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, "Every contact of Acme Corporation is on this opportunity already.")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self._post()

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(OpportunityContact.objects.exists())
