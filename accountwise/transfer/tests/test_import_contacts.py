from accountwise.accounts.models import Account, Contact, ContactRole
from accountwise.history.deletion import soft_delete
from accountwise.test import make_account, make_contact
from accountwise.transfer.contact_import import split_full_name
from accountwise.transfer.mapping import CONTACTS
from accountwise.transfer.tests.support import ImportTestCase

HEADER = "First name,Last name,Email,Account\n"


class ImportContactsTests(ImportTestCase):
    def test_creates_contact(self):
        result = self.import_csv(
            CONTACTS,
            "First name,Last name,Email,Phone,Job title,Account\n"
            "Ada,Lovelace,ada@example.com,+44 20 1234,CTO,Acme Corporation\n",
        )

        self.assertEqual(result.created, 1)
        contact = Contact.objects.get(last_name="Lovelace")
        self.assertEqual(contact.first_name, "Ada")
        self.assertEqual(contact.email, "ada@example.com")
        self.assertEqual(contact.phone, "+44 20 1234")
        self.assertEqual(contact.job_title, "CTO")
        self.assertEqual(contact.account, self.account)

    def test_full_name_split(self):
        self.import_csv(CONTACTS, "Name,Company\nAda King Lovelace,Acme Corporation\n")

        contact = Contact.objects.get()
        self.assertEqual((contact.first_name, contact.last_name), ("Ada King", "Lovelace"))

    def test_full_name_forms(self):
        cases = {
            "Ada Lovelace": ("Ada", "Lovelace"),
            "Lovelace, Ada": ("Ada", "Lovelace"),
            "  Ada   Lovelace ": ("Ada", "Lovelace"),
            "Cher": ("", "Cher"),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(split_full_name(text), expected)

    def test_full_name_fills_blank_last_name(self):
        self.import_csv(CONTACTS, "First name,Last name,Full name,Account\n,,Grace Hopper,Acme Corporation\n")

        self.assertEqual(Contact.objects.get().full_name, "Grace Hopper")

    def test_missing_last_name_rejected(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,,ada@example.com,Acme Corporation\n")

        self.assertEqual(self.error_texts(result), ["line 2, column Last name: the last name is missing"])

    def test_invalid_email_rejected(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,ada-at-example,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column Email: "ada-at-example" is not an e-mail address; write it as name@example.com'],
        )

    def test_key_player_and_role(self):
        self.import_csv(
            CONTACTS,
            "Last name,Account,Key player,Role\nLovelace,Acme Corporation,Yes,Decision maker\n"
            "Hopper,Acme Corporation,no,champion\n",
        )

        lovelace, hopper = Contact.objects.get(last_name="Lovelace"), Contact.objects.get(last_name="Hopper")
        self.assertTrue(lovelace.is_key_player)
        self.assertEqual(lovelace.role, ContactRole.DECISION_MAKER)
        self.assertFalse(hopper.is_key_player)
        self.assertEqual(hopper.role, ContactRole.CHAMPION)

    def test_unknown_role_rejected(self):
        result = self.import_csv(CONTACTS, "Last name,Account,Role\nLovelace,Acme Corporation,Boss\n")

        self.assertIn('"Boss" is not a contact role', self.error_texts(result)[0])

    def test_unknown_account_rejected(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,,Globex\n")

        self.assertIn('no account is named "Globex"', self.error_texts(result)[0])
        self.assertEqual(Contact.objects.count(), 0)

    def test_account_in_deleted_items_rejected(self):
        soft_delete(make_account("Globex"), self.owner)

        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,,Globex\n", create_accounts=True)

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column Account: the account "Globex" is in Deleted items; restore it, then import this row again'],
        )
        self.assertFalse(Contact.objects.exists())

    def test_create_accounts_option(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,,Globex\nGrace,Hopper,,globex\n", create_accounts=True)

        globex = Account.objects.get(name="Globex")
        self.assertEqual(result.created_accounts, ["Globex"])
        self.assertEqual(globex.contacts.count(), 2)

    def test_rerun_updates_by_email(self):
        make_contact(self.account, "Lovelace", first_name="Ada", email="ada@example.com", job_title="CTO")

        result = self.import_csv(
            CONTACTS, "First name,Last name,Email,Account,Title\nAda,King,ADA@example.com,Acme Corporation,CEO\n"
        )

        self.assertEqual((result.created, result.updated), (0, 1))
        contact = Contact.objects.get()
        self.assertEqual((contact.last_name, contact.job_title), ("King", "CEO"))

    def test_rerun_updates_by_name(self):
        make_contact(self.account, "Lovelace", first_name="Ada")

        result = self.import_csv(CONTACTS, "Name,Account,Phone\nada lovelace,Acme Corporation,555\n")

        self.assertEqual(result.updated, 1)
        self.assertEqual(Contact.objects.get().phone, "555")

    def test_rerun_same_file_unchanged(self):
        text = HEADER + "Ada,Lovelace,ada@example.com,Acme Corporation\n"
        self.import_csv(CONTACTS, text)

        result = self.import_csv(CONTACTS, text)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 1))

    def test_external_id_moves_account(self):
        globex = make_account("Globex")
        make_contact(self.account, "Lovelace", external_id="C-1")

        self.import_csv(CONTACTS, "Contact ID,Last name,Account\nC-1,Lovelace,Globex\n")

        self.assertEqual(Contact.objects.get(external_id="C-1").account, globex)

    def test_external_id_of_deleted_account_contact_rejected(self):
        globex = make_account("Globex")
        make_contact(globex, "Lovelace", external_id="C-1")
        soft_delete(globex, self.owner)

        result = self.import_csv(CONTACTS, "Contact ID,Last name,Account\nC-1,Lovelace,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result),
            [
                'line 2, column Last name: the contact Pat Lovelace belongs to the account "Globex", which is in '
                "Deleted items; restore that account, then import this row again"
            ],
        )
        self.assertEqual(Contact.objects.get(external_id="C-1").account, globex)

    def test_same_name_other_account_created(self):
        make_account("Globex")
        make_contact(self.account, "Lovelace", first_name="Ada")

        result = self.import_csv(CONTACTS, "Name,Account\nAda Lovelace,Globex\n")

        self.assertEqual(result.created, 1)
        self.assertEqual(Contact.objects.count(), 2)

    def test_repeated_row_rejected(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,a@x.com,Acme Corporation\nAda,L,A@X.COM,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result), ["line 3, column Last name: line 2 has the same contact (e-mail address)"]
        )

    def test_ambiguous_existing_name_rejected(self):
        make_contact(self.account, "Smith", first_name="Pat")
        make_contact(self.account, "Smith", first_name="Pat")

        result = self.import_csv(CONTACTS, "Name,Account\nPat Smith,Acme Corporation\n")

        self.assertIn("2 contacts have the same name", self.error_texts(result)[0])

    def test_invalid_row_writes_nothing(self):
        result = self.import_csv(CONTACTS, HEADER + "Ada,Lovelace,,Acme Corporation\nGrace,Hopper,bad,Acme Corporation\n")

        self.assertFalse(result.written)
        self.assertEqual(Contact.objects.count(), 0)

    def test_skip_invalid_writes_valid_rows(self):
        result = self.import_csv(
            CONTACTS, HEADER + "Ada,Lovelace,,Acme Corporation\nGrace,Hopper,bad,Acme Corporation\n", skip_invalid=True
        )

        self.assertEqual((result.created, result.rejected), (1, 1))
        self.assertEqual(list(Contact.objects.values_list("last_name", flat=True)), ["Lovelace"])


class ReportsToTests(ImportTestCase):
    def test_manager_later_in_file(self):
        result = self.import_csv(
            CONTACTS, "Name,Account,Reports to\nAda Lovelace,Acme Corporation,Grace Hopper\nGrace Hopper,Acme Corporation,\n"
        )

        ada = Contact.objects.get(last_name="Lovelace")
        self.assertEqual(ada.reports_to.full_name, "Grace Hopper")
        self.assertEqual(result.with_manager, 1)

    def test_manager_in_database(self):
        grace = make_contact(self.account, "Hopper", first_name="Grace")

        self.import_csv(CONTACTS, "Name,Account,Manager\nAda Lovelace,Acme Corporation,grace hopper\n")

        self.assertEqual(Contact.objects.get(last_name="Lovelace").reports_to, grace)

    def test_manager_at_other_account_not_found(self):
        globex = make_account("Globex")
        make_contact(globex, "Hopper", first_name="Grace")

        result = self.import_csv(CONTACTS, "Name,Account,Reports to\nAda Lovelace,Acme Corporation,Grace Hopper\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column Reports to: no contact at this account is named "Grace Hopper"; '
             "add them to the file or create them first"],
        )

    def test_own_manager_rejected(self):
        result = self.import_csv(CONTACTS, "Name,Account,Reports to\nAda Lovelace,Acme Corporation,Ada Lovelace\n")

        self.assertEqual(
            self.error_texts(result), ["line 2, column Reports to: a contact cannot report to themselves"]
        )

    def test_loop_rejected(self):
        result = self.import_csv(
            CONTACTS,
            "Name,Account,Reports to\nAda Lovelace,Acme Corporation,Grace Hopper\n"
            "Grace Hopper,Acme Corporation,Ada Lovelace\n",
        )

        self.assertEqual(len(result.errors), 2)
        self.assertIn("would report to each other in a loop: Ada Lovelace → Grace Hopper → Ada Lovelace", str(result.errors[0]))

    def test_skip_invalid_rejects_reports(self):
        result = self.import_csv(
            CONTACTS,
            "Name,Account,Email,Reports to\nAda Lovelace,Acme Corporation,,Grace Hopper\n"
            "Grace Hopper,Acme Corporation,not-an-address,\n",
            skip_invalid=True,
        )

        self.assertEqual(result.rejected_lines, [2, 3])
        self.assertIn("is on line 3, which is rejected", self.error_texts(result)[1])
        self.assertEqual(Contact.objects.count(), 0)

    def test_blank_clears_manager(self):
        grace = make_contact(self.account, "Hopper", first_name="Grace")
        make_contact(self.account, "Lovelace", first_name="Ada", reports_to=grace)

        self.import_csv(CONTACTS, "Name,Account,Reports to\nAda Lovelace,Acme Corporation,\n")

        self.assertIsNone(Contact.objects.get(last_name="Lovelace").reports_to)
