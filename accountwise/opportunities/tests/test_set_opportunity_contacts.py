from accountwise.opportunities.actions import set_opportunity_contacts
from accountwise.opportunities.models import BuyingRole
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
)


class SetOpportunityContactsTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account)
        self.kept = make_contact(self.account, "Kept")
        self.dropped = make_contact(self.account, "Dropped")
        self.added = make_contact(self.account, "Added")
        make_opportunity_contact(self.opportunity, self.kept, BuyingRole.INFLUENCER)
        make_opportunity_contact(self.opportunity, self.dropped, BuyingRole.USER)

    def test_makes_links_match(self):
        set_opportunity_contacts(
            self.opportunity,
            {self.kept: BuyingRole.CHAMPION, self.added: BuyingRole.DECISION_MAKER},
            self.owner,
        )

        links = {link.contact.last_name: link.buying_role for link in self.opportunity.opportunity_contacts.all()}
        self.assertEqual(links, {"Kept": BuyingRole.CHAMPION, "Added": BuyingRole.DECISION_MAKER})

    def test_empty_removes_all(self):
        set_opportunity_contacts(self.opportunity, {}, self.owner)

        self.assertFalse(self.opportunity.opportunity_contacts.exists())
