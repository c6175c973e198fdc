from decimal import Decimal

from django.urls import reverse

from accountwise.opportunities.models import BuyingRole
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_contract,
    make_opportunity,
    make_opportunity_contact,
    stage,
)


class OpportunityDetailTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(
            self.account,
            "Upsell",
            stage=stage("Proposal"),
            value=Decimal("1000.00"),
            description="Analytics for the EU sites.",
            owner=self.teammate,
        )
        self.url = reverse("opportunities:detail", args=[self.opportunity.pk])

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)

    def test_shows_all_fields(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, "Proposal")
        self.assertContains(response, "60 %")
        self.assertContains(response, "$1,000.00")
        self.assertContains(response, "$600.00")
        self.assertContains(response, "Jun 30, 2027")
        self.assertContains(response, "Charlie")
        self.assertContains(response, "Analytics for the EU sites.")
        self.assertContains(response, "text-bg-success")

    def test_breadcrumb_leads_to_section(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(
            response,
            f'href="{self.account.get_absolute_url()}?opportunities=active#opportunities-section">Opportunities</a>',
        )

    def test_links_contract(self):
        self.opportunity.stage = stage("won")
        self.opportunity.save()
        contract = make_contract(self.account, "Signed", opportunity=self.opportunity)
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, f'href="{contract.get_absolute_url()}"')
        self.assertNotContains(response, reverse("opportunities:create-contract", args=[self.opportunity.pk]))

    def test_won_without_contract_offers_one(self):
        self.opportunity.stage = stage("won")
        self.opportunity.save()
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, reverse("opportunities:create-contract", args=[self.opportunity.pk]))

    def test_outsider_sees_no_change_buttons(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("opportunities:edit", args=[self.opportunity.pk]))
        self.assertNotContains(response, reverse("opportunities:delete", args=[self.opportunity.pk]))

    def test_missing_opportunity_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("opportunities:detail", args=[999999]))

        self.assertEqual(response.status_code, 404)


class OpportunityDetailContactsTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell")
        self.contact = make_contact(self.account, "Coyote", first_name="Wile", job_title="CEO")
        make_opportunity_contact(self.opportunity, self.contact, BuyingRole.ECONOMIC_BUYER)
        self.url = reverse("opportunities:detail", args=[self.opportunity.pk])

    def test_lists_contacts_with_roles(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{self.contact.get_absolute_url()}">Wile Coyote</a>', html=True)
        self.assertContains(response, "Economic buyer · CEO")
        self.assertNotContains(response, reverse("opportunities:contact-add", args=[self.opportunity.pk]))

    def test_team_may_add_and_remove(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertContains(response, reverse("opportunities:contact-add", args=[self.opportunity.pk]))
        self.assertContains(
            response, reverse("opportunities:contact-remove", args=[self.opportunity.pk, self.contact.pk])
        )
