from accountwise.accounts.models import Account, Contact
from accountwise.opportunities.models import Opportunity, StageChange
from accountwise.test import make_opportunity, stage
from accountwise.transfer.mapping import ACCOUNTS, CONTACTS, OPPORTUNITIES
from accountwise.transfer.tests.support import ImportTestCase

HEADER = "name,account,stage,value,close_date\n"


class ImportHistoryTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.importer = self.owner

    def test_created_opportunity_recorded(self):
        self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,1000,2025-06-30\n", acting_user=self.importer)

        opportunity = Opportunity.objects.get(name="Renewal")
        created = opportunity.history.get()
        self.assertEqual((created.history_type, created.history_user), ("+", self.importer))
        change = StageChange.objects.get(opportunity=opportunity)
        self.assertEqual((change.from_stage, change.to_stage, change.changed_by), (None, stage("Proposal"), self.importer))

    def test_updated_stage_recorded(self):
        opportunity = make_opportunity(self.account, "Renewal")

        self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Closed won,1000,2027-06-30\n", acting_user=self.importer)

        latest = opportunity.history.first()
        self.assertEqual((latest.history_type, latest.stage_id, latest.history_user), ("~", stage("won").pk, self.importer))
        change = StageChange.objects.filter(opportunity=opportunity).latest("pk")
        self.assertEqual((change.from_stage, change.to_stage), (stage("Proposal"), stage("won")))

    def test_unchanged_stage_records_no_stage_change(self):
        opportunity = make_opportunity(self.account, "Renewal")
        before = StageChange.objects.filter(opportunity=opportunity).count()

        self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,2000,2027-06-30\n", acting_user=self.importer)

        self.assertEqual(StageChange.objects.filter(opportunity=opportunity).count(), before)
        self.assertEqual(opportunity.history.first().value, 2000)

    def test_accounts_and_contacts_recorded(self):
        self.import_csv(ACCOUNTS, "name,industry\nGlobex,Aerospace\nAcme Corporation,Mining\n", acting_user=self.importer)
        self.import_csv(CONTACTS, "first_name,last_name,account\nWile,Coyote,Globex\n", acting_user=self.importer)

        globex = Account.objects.get(name="Globex")
        self.assertEqual(globex.history.get().history_user, self.importer)
        self.assertEqual(self.account.history.first().industry, "Mining")
        contact = Contact.objects.get(last_name="Coyote")
        self.assertEqual(contact.history.get().history_type, "+")
