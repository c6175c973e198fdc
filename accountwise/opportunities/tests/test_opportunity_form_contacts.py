"""The contacts part of the opportunity form, on the create and edit pages."""

from django.urls import reverse

from accountwise.opportunities.models import BuyingRole, Opportunity, OpportunityContact
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
    stage,
)


def _opportunity_data(**changes) -> dict:
    data = {
        "name": "Plant rollout",
        "stage": str(stage("Proposal").pk),
        "value": "1000",
        "close_date": "2027-09-30",
        "description": "",
        "owner": "",
    }
    data.update(changes)
    return data


class OpportunityEditContactsTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Plant rollout")
        self.wile = make_contact(self.account, "Coyote", first_name="Wile")
        self.road = make_contact(self.account, "Runner", first_name="Road")
        self.url = reverse("opportunities:edit", args=[self.opportunity.pk])
        self.login(self.owner)

    def test_lists_account_contacts_only(self):
        make_contact(make_account("Globex"), "Stranger")

        response = self.client.get(self.url)

        self.assertEqual(response.context["contacts_form"].contacts, [self.wile, self.road])
        self.assertContains(response, 'aria-label="Buying role of Wile Coyote"')
        self.assertNotContains(response, "Stranger")

    def test_current_links_ticked(self):
        make_opportunity_contact(self.opportunity, self.road, BuyingRole.CHAMPION)

        response = self.client.get(self.url)

        form = response.context["contacts_form"]
        self.assertTrue(form[f"linked_{self.road.pk}"].value())
        self.assertFalse(form[f"linked_{self.wile.pk}"].value())
        self.assertEqual(form[f"role_{self.road.pk}"].value(), BuyingRole.CHAMPION)

    def test_ticks_add_and_untick_removes(self):
        make_opportunity_contact(self.opportunity, self.road, BuyingRole.CHAMPION)

        self.client.post(
            self.url,
            _opportunity_data(**{
                f"contacts-linked_{self.wile.pk}": "on",
                f"contacts-role_{self.wile.pk}": BuyingRole.ECONOMIC_BUYER,
                f"contacts-role_{self.road.pk}": BuyingRole.CHAMPION,
            }),
        )

        links = {link.contact: link.buying_role for link in self.opportunity.opportunity_contacts.all()}
        self.assertEqual(links, {self.wile: BuyingRole.ECONOMIC_BUYER})

    def test_ticked_without_role_rejected(self):
        response = self.client.post(
            self.url, _opportunity_data(name="Renamed", **{f"contacts-linked_{self.wile.pk}": "on"})
        )

        self.assertEqual(
            response.context["contacts_form"].errors[f"role_{self.wile.pk}"],
            ["Choose a buying role for Wile Coyote, or untick the contact."],
        )
        self.assertFalse(OpportunityContact.objects.exists())
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.name, "Plant rollout")

    def test_suggests_role_from_contact(self):
        self.wile.role = "champion"
        self.wile.save()

        response = self.client.get(self.url)

        self.assertEqual(response.context["contacts_form"][f"role_{self.wile.pk}"].value(), BuyingRole.CHAMPION)


class OpportunityCreateContactsTests(BaseTestCase):
    def setUp(self):
        self.wile = make_contact(self.account, "Coyote", first_name="Wile")
        self.login(self.owner)

    def test_create_for_account_links_contacts(self):
        url = f"{reverse('opportunities:create')}?account={self.account.pk}"

        self.client.post(
            url,
            _opportunity_data(**{
                f"contacts-linked_{self.wile.pk}": "on",
                f"contacts-role_{self.wile.pk}": BuyingRole.DECISION_MAKER,
            }),
        )

        opportunity = Opportunity.objects.get()
        self.assertEqual(opportunity.opportunity_contacts.get().contact, self.wile)

    def test_create_new_menu_has_no_contacts(self):
        response = self.client.get(reverse("opportunities:create"))

        self.assertIsNone(response.context["contacts_form"])
        self.assertNotContains(response, 'id="opportunity-contacts"')

    def test_account_without_contacts_says_so(self):
        globex = make_account("Globex", owner=self.owner)

        response = self.client.get(f"{reverse('opportunities:create')}?account={globex.pk}")

        self.assertContains(response, "Globex has no contacts yet.")
