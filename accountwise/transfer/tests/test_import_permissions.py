"""An import through the browser obeys the permission policy of the user who runs it."""

from accountwise.accounts.models import Account, Contact
from accountwise.opportunities.models import Opportunity
from accountwise.test import make_account, make_opportunity
from accountwise.transfer.mapping import ACCOUNTS, CONTACTS, OPPORTUNITIES
from accountwise.transfer.tests.support import ImportTestCase

DEAL = "name,account,stage,value,close_date\nDeal,Acme Corporation,Proposal,10,2027-01-31\n"


class ImportPermissionTests(ImportTestCase):
    def test_teammate_imports_into_account(self):
        result = self.import_csv(OPPORTUNITIES, DEAL, acting_user=self.teammate)

        self.assertTrue(result.written)
        self.assertEqual(Opportunity.objects.get().account, self.account)

    def test_outsider_rejected_per_row(self):
        result = self.import_csv(OPPORTUNITIES, DEAL, acting_user=self.outsider)

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column account: you may not change the account "Acme Corporation"; ask its owner or an '
             "administrator to add you to its team"],
        )
        self.assertEqual(Opportunity.objects.count(), 0)

    def test_administrator_imports_anywhere(self):
        result = self.import_csv(OPPORTUNITIES, DEAL, acting_user=self.admin)

        self.assertTrue(result.written)

    def test_outsider_cannot_update_by_external_id(self):
        make_account("Dave's", owner=self.outsider)
        make_opportunity(self.account, "Deal", external_id="O-1")

        result = self.import_csv(
            OPPORTUNITIES, "id,name,account,stage,value,close_date\nO-1,Deal,Dave's,Proposal,10,2027-01-31\n",
            acting_user=self.outsider,
        )

        self.assertIn("you may not change this opportunity", self.error_texts(result)[0])

    def test_outsider_cannot_update_account(self):
        result = self.import_csv(ACCOUNTS, "name,industry\nAcme Corporation,Toys\n", acting_user=self.outsider)

        self.assertIn('you may not change the account "Acme Corporation"', self.error_texts(result)[0])

    def test_new_account_owned_by_importer(self):
        self.import_csv(ACCOUNTS, "name\nGlobex\n", acting_user=self.outsider)

        self.assertEqual(Account.objects.get(name="Globex").owner, self.outsider)

    def test_created_account_owned_by_importer(self):
        self.import_csv(CONTACTS, "Last name,Account\nLovelace,Globex\n", acting_user=self.outsider, create_accounts=True)

        self.assertEqual(Contact.objects.get().account.owner, self.outsider)

    def test_command_line_unrestricted(self):
        self.import_csv(ACCOUNTS, "name\nGlobex\n")

        self.assertIsNone(Account.objects.get(name="Globex").owner)
