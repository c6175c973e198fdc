from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity
from accountwise.test import make_user
from accountwise.transfer.mapping import ACCOUNTS, OPPORTUNITIES
from accountwise.transfer.tests.support import ImportTestCase
from accountwise.users.models import Role, User


class OwnerResolutionTests(ImportTestCase):
    def import_owner(self, owner: str, **options):
        text = f"name,owner\nGlobex,{owner}\n"
        return self.import_csv(ACCOUNTS, text, **options)

    def test_owner_by_username(self):
        self.import_owner("Charlie")

        self.assertEqual(Account.objects.get(name="Globex").owner, self.teammate)

    def test_owner_by_email(self):
        self.import_owner("DAVE@example.com")

        self.assertEqual(Account.objects.get(name="Globex").owner, self.outsider)

    def test_owner_by_full_name(self):
        make_user("mfrase", first_name="Moses", last_name="Frase")

        self.import_owner("  moses   FRASE ")

        self.assertEqual(Account.objects.get(name="Globex").owner.username, "mfrase")

    def test_opportunity_owner(self):
        text = "name,account,stage,value,close_date,Opportunity Owner\nRenewal,Acme Corporation,Won,1,2025-01-31,bob\n"

        self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(Opportunity.objects.get(name="Renewal").owner, self.owner)

    def test_unknown_owner_rejected(self):
        result = self.import_owner("Moses Frase")

        self.assertEqual(self.error_texts(result), [
            'line 2, column owner: no user is named "Moses Frase"; '
            "create the user first or let the import create missing owners"
        ])

    def test_ambiguous_owner_rejected(self):
        make_user("pat1", first_name="Pat", last_name="Lee")
        make_user("pat2", first_name="Pat", last_name="Lee")

        result = self.import_owner("Pat Lee")

        self.assertEqual(self.error_texts(result), [
            'line 2, column owner: "Pat Lee" matches several users (pat1, pat2); write the username instead'
        ])

    def test_blank_owner_clears_owner(self):
        self.import_csv(ACCOUNTS, "name,owner\nAcme Corporation,\n")

        self.account.refresh_from_db()
        self.assertIsNone(self.account.owner)


class CreateOwnersTests(ImportTestCase):
    text = (
        "name,account,stage,value,close_date,sales_agent\n"
        "A,Acme Corporation,Won,1,2025-01-31,Moses Frase\n"
        "B,Acme Corporation,Won,1,2025-01-31,MOSES FRASE\n"
        "C,Acme Corporation,Won,1,2025-01-31,Zoë Ledger\n"
    )

    def test_one_user_per_name(self):
        result = self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        self.assertEqual(result.created_owners, ["Moses Frase", "Zoë Ledger"])
        moses = User.objects.get(first_name="Moses", last_name="Frase")
        self.assertEqual(set(Opportunity.objects.filter(owner=moses).values_list("name", flat=True)), {"A", "B"})

    def test_created_owner_cannot_sign_in(self):
        self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        moses = User.objects.get(first_name="Moses")
        self.assertEqual(moses.role, Role.ACCOUNT_MANAGER)
        self.assertFalse(moses.has_usable_password())
        self.assertFalse(self.client.login(username=moses.username, password=""))

    def test_usernames_are_unique(self):
        make_user("moses.frase", first_name="Moses", last_name="Frase Senior")

        self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        self.assertTrue(User.objects.filter(username="moses.frase2", last_name="Frase").exists())

    def test_ascii_username(self):
        self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        self.assertEqual(User.objects.get(first_name="Zoë").username, "zoe.ledger")

    def test_rerun_reuses_created_owner(self):
        self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        result = self.import_csv(OPPORTUNITIES, self.text, create_owners=True)

        self.assertEqual(result.created_owners, [])
        self.assertEqual(User.objects.filter(first_name="Moses").count(), 1)

    def test_rejected_rows_create_no_owner(self):
        text = "name,account,stage,value,close_date,owner\nA,Acme Corporation,Won,oops,2025-01-31,Moses Frase\n"

        self.import_csv(OPPORTUNITIES, text, create_owners=True, skip_invalid=True)

        self.assertFalse(User.objects.filter(first_name="Moses").exists())

    def test_email_owner_gets_email(self):
        self.import_csv(ACCOUNTS, "name,owner\nGlobex,erin@example.org\n", create_owners=True)

        erin = Account.objects.get(name="Globex").owner
        self.assertEqual((erin.username, erin.email), ("erin", "erin@example.org"))
