import io
import json

from django.test import SimpleTestCase

from accountwise.accounts.models import Account, Contact
from accountwise.opportunities.models import Opportunity
from accountwise.test import make_account
from accountwise.transfer.mapping import ACCOUNTS, CONTACTS, OPPORTUNITIES
from accountwise.transfer.parsing import InvalidValue
from accountwise.transfer.readers import ImportFileError
from accountwise.transfer.references import AccountReferences, is_reference, read_references
from accountwise.transfer.tests.support import ImportTestCase


def tree_file(*records) -> io.BytesIO:
    return io.BytesIO(json.dumps({"records": list(records)}).encode())


def account_record(reference: str, name: str, **fields) -> dict:
    return {"attributes": {"type": "Account", "referenceId": reference}, "Name": name, **fields}


class ReadReferencesTests(SimpleTestCase):
    def test_names_by_reference(self):
        references = read_references(tree_file(account_record("AccountRef1", "Globex")), "Accounts.json")

        self.assertEqual(references.account_name("@AccountRef1"), "Globex")
        self.assertEqual(len(references), 1)

    def test_name_key_any_case(self):
        record = {"attributes": {"type": "Account", "referenceId": "AccountRef1"}, "name": "Initech"}

        references = read_references(tree_file(record), "Accounts.json")

        self.assertEqual(references.account_name("@AccountRef1"), "Initech")

    def test_unknown_reference(self):
        references = AccountReferences({"AccountRef1": "Globex"}, "Accounts.json")

        with self.assertRaisesMessage(InvalidValue, '"@AccountRef9" is not a reference in Accounts.json'):
            references.account_name("@AccountRef9")

    def test_not_json(self):
        with self.assertRaisesMessage(ImportFileError, "Accounts.json is not a JSON file"):
            read_references(io.BytesIO(b"name,phone\n"), "Accounts.json")

    def test_no_records(self):
        with self.assertRaisesMessage(ImportFileError, 'Accounts.json has no "records" list'):
            read_references(io.BytesIO(b"[]"), "Accounts.json")

    def test_other_object_rejected(self):
        record = {"attributes": {"type": "Contact", "referenceId": "ContactRef1"}, "LastName": "Lovelace"}

        with self.assertRaisesMessage(ImportFileError, "Contacts.json contains Contact records, not accounts"):
            read_references(tree_file(record), "Contacts.json")

    def test_record_without_reference(self):
        with self.assertRaisesMessage(ImportFileError, "record 1 in Accounts.json has no attributes.referenceId"):
            read_references(tree_file({"Name": "Globex"}), "Accounts.json")

    def test_record_without_name(self):
        record = {"attributes": {"type": "Account", "referenceId": "AccountRef1"}}

        with self.assertRaisesMessage(ImportFileError, "record 1 in Accounts.json has no account name"):
            read_references(tree_file(record), "Accounts.json")

    def test_reference_syntax(self):
        self.assertTrue(is_reference("@AccountRef1"))
        self.assertFalse(is_reference("@"))
        self.assertFalse(is_reference("@ home"))
        self.assertFalse(is_reference("Globex"))


class ResolveReferencesTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.references = AccountReferences({"AccountRef1": "Globex", "AccountRef2": "Initech"}, "Accounts.json")

    def test_contact_account_by_reference(self):
        globex = make_account("Globex")

        self.import_csv(CONTACTS, "LastName,AccountId\nLovelace,@AccountRef1\n", references=self.references)

        self.assertEqual(Contact.objects.get().account, globex)

    def test_opportunity_account_by_reference(self):
        make_account("Initech")

        self.import_csv(
            OPPORTUNITIES, "Name,AccountId,StageName,Amount,CloseDate\nDeal,@AccountRef2,Closed/Won,10,2021-01-19T00:30:44Z\n",
            references=self.references,
        )

        self.assertEqual(Opportunity.objects.get().account.name, "Initech")

    def test_reference_without_file_rejected(self):
        result = self.import_csv(CONTACTS, "LastName,AccountId\nLovelace,@AccountRef1\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column AccountId: "@AccountRef1" is a Salesforce data-tree reference; import with the '
             "Accounts.json file of the same export as the reference file, so that it resolves to an account"],
        )

    def test_unknown_reference_rejected(self):
        result = self.import_csv(CONTACTS, "LastName,AccountId\nLovelace,@AccountRef7\n", references=self.references)

        self.assertIn('"@AccountRef7" is not a reference in Accounts.json', self.error_texts(result)[0])

    def test_missing_account_created_by_name(self):
        self.import_csv(
            CONTACTS, "LastName,AccountId\nLovelace,@AccountRef2\n", references=self.references, create_accounts=True
        )

        self.assertEqual(Contact.objects.get().account.name, "Initech")

    def test_parent_by_reference(self):
        self.import_csv(
            ACCOUNTS, "Name,ParentId\nGlobex,\nGlobex Europe,@AccountRef1\n", references=self.references
        )

        self.assertEqual(Account.objects.get(name="Globex Europe").parent.name, "Globex")
