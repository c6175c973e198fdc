from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountwise.opportunities.actions import OpportunityContactError, add_opportunity_contact
from accountwise.opportunities.models import BuyingRole, OpportunityContact
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
)


class AddOpportunityContactTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Plant rollout")
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")

    def test_adds_with_buying_role(self):
        add_opportunity_contact(self.opportunity, self.contact, BuyingRole.DECISION_MAKER, self.owner)

        link = OpportunityContact.objects.get()
        self.assertEqual(link.opportunity, self.opportunity)
        self.assertEqual(link.contact, self.contact)
        self.assertEqual(link.buying_role, BuyingRole.DECISION_MAKER)

    def test_again_changes_role(self):
        add_opportunity_contact(self.opportunity, self.contact, BuyingRole.INFLUENCER, self.owner)

        add_opportunity_contact(self.opportunity, self.contact, BuyingRole.CHAMPION, self.owner)

        link = OpportunityContact.objects.get()
        self.assertEqual(link.buying_role, BuyingRole.CHAMPION)

    def test_contact_of_other_account_rejected(self):
        stranger = make_contact(make_account("Globex"), "Stranger", first_name="Sam")

        with self.assertRaises(OpportunityContactError) as raised:
            add_opportunity_contact(self.opportunity, stranger, BuyingRole.INFLUENCER, self.owner)

        self.assertEqual(
            str(raised.exception),
            "Sam Stranger is a contact of Globex, not of Acme Corporation; choose a contact of "
            "Acme Corporation.",
        )
        self.assertFalse(OpportunityContact.objects.exists())

    def test_contact_on_two_accounts_opportunities_impossible(self):
        globex_opportunity = make_opportunity(make_account("Globex"), "Globex deal")
        add_opportunity_contact(self.opportunity, self.contact, BuyingRole.INFLUENCER, self.owner)

        with self.assertRaises(OpportunityContactError):
            add_opportunity_contact(globex_opportunity, self.contact, BuyingRole.INFLUENCER, self.owner)

        accounts = {link.opportunity.account_id for link in self.contact.opportunity_links.all()}
        self.assertEqual(accounts, {self.account.pk})

    def test_clean_rejects_other_account(self):
        globex_opportunity = make_opportunity(make_account("Globex"), "Globex deal")
        link = OpportunityContact(
            opportunity=globex_opportunity, contact=self.contact, buying_role=BuyingRole.INFLUENCER
        )

        with self.assertRaises(ValidationError) as raised:
            link.full_clean()

        self.assertIn("not of Globex", raised.exception.message_dict["contact"][0])

    def test_database_keeps_one_link(self):
        make_opportunity_contact(self.opportunity, self.contact)

        with self.assertRaises(IntegrityError), transaction.atomic():
            make_opportunity_contact(self.opportunity, self.contact, BuyingRole.CHAMPION)

    def test_database_rejects_unknown_role(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_opportunity_contact(self.opportunity, self.contact, "boss")
