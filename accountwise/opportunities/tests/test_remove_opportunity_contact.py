from accountwise.accounts.models import Contact
from accountwise.opportunities.actions import remove_opportunity_contact
from accountwise.opportunities.models import Opportunity, OpportunityContact
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
)


class RemoveOpportunityContactTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account)
        self.contact = make_contact(self.account)

    def test_removes_link_only(self):
        make_opportunity_contact(self.opportunity, self.contact)

        removed = remove_opportunity_contact(self.opportunity, self.contact, self.owner)

        self.assertTrue(removed)
        self.assertFalse(OpportunityContact.objects.exists())
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())
        self.assertTrue(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

    def test_not_linked_reports_false(self):
        self.assertFalse(remove_opportunity_contact(self.opportunity, self.contact, self.owner))
