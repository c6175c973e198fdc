from accountwise.accounts.models import Account, AccountType
from accountwise.history.deletion import soft_delete
from accountwise.test import make_account
from accountwise.transfer.mapping import ACCOUNTS
from accountwise.transfer.tests.support import ImportTestCase


class ImportAccountsTests(ImportTestCase):
    def test_creates_accounts(self):
        result = self.import_csv(ACCOUNTS, "name,industry,country\nGlobex,Energy,France\nInitech,Software,USA\n")

        self.assertEqual(result.created, 2)
        globex = Account.objects.get(name="Globex")
        self.assertEqual(globex.industry, "Energy")
        self.assertEqual(globex.country, "France")

    def test_rerun_updates_not_duplicates(self):
        self.import_csv(ACCOUNTS, "name,industry\nGlobex,Energy\n")

        result = self.import_csv(ACCOUNTS, "name,industry\nGlobex,Utilities\n")

        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(Account.objects.filter(name="Globex").count(), 1)
        self.assertEqual(Account.objects.get(name="Globex").industry, "Utilities")

    def test_rerun_same_file_unchanged(self):
        text = "name,industry,website,type\nGlobex,Energy,globex.com,Strategic\n"
        self.import_csv(ACCOUNTS, text)

        result = self.import_csv(ACCOUNTS, text)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 1))

    def test_name_match_ignores_case(self):
        result = self.import_csv(ACCOUNTS, "name,industry\n  acme   CORPORATION ,Aerospace\n")

        self.assertEqual(result.updated, 1)
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Aerospace")
        self.assertEqual(Account.objects.count(), 1)

    def test_external_id_match_renames(self):
        make_account("Old name", external_id="A-1")

        result = self.import_csv(ACCOUNTS, "id,name\nA-1,New name\n")

        self.assertEqual(result.updated, 1)
        self.assertEqual(Account.objects.get(external_id="A-1").name, "New name")

    def test_name_match_adopts_external_id(self):
        self.import_csv(ACCOUNTS, "Account ID,Account Name\nA-9,Acme Corporation\n")

        self.account.refresh_from_db()
        self.assertEqual(self.account.external_id, "A-9")

    def test_external_id_clash_rejected(self):
        make_account("Globex", external_id="A-1")

        result = self.import_csv(ACCOUNTS, "id,name\nB-2,Globex\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column name: an account named "Globex" already exists with external id A-1'],
        )

    def test_rename_onto_taken_name_rejected(self):
        make_account("Globex", external_id="A-1")

        result = self.import_csv(ACCOUNTS, "id,name\nA-1,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result), ['line 2, column name: another account is already named "Acme Corporation"']
        )

    def test_name_of_deleted_account_rejected(self):
        soft_delete(make_account("Globex"), self.owner)

        result = self.import_csv(ACCOUNTS, "name,industry\nglobex,Energy\nInitech,Software\n", skip_invalid=True)

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column name: an account named "Globex" is in Deleted items; restore it, or choose another name'],
        )
        self.assertTrue(result.written)
        self.assertEqual(Account.objects.get(name="Initech").industry, "Software")
        self.assertEqual(Account.all_objects.get(name="Globex").industry, "")

    def test_external_id_of_deleted_account_rejected(self):
        soft_delete(make_account("Globex", external_id="A-1"), self.owner)

        result = self.import_csv(ACCOUNTS, "id,name\nA-1,Globex Holdings\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column id: the account "Globex" with external id A-1 is in Deleted items; '
             "restore it, then import this row again"],
        )
        self.assertFalse(result.written)
        self.assertFalse(Account.all_objects.filter(name="Globex Holdings").exists())

    def test_rename_to_deleted_account_name_rejected(self):
        make_account("Initech", external_id="A-2")
        soft_delete(make_account("Globex"), self.owner)

        result = self.import_csv(ACCOUNTS, "id,name\nA-2,Globex\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column name: an account named "Globex" is in Deleted items; restore it, or choose another name'],
        )
        self.assertEqual(Account.objects.get(external_id="A-2").name, "Initech")

    def test_repeated_name_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,industry\nGlobex,Energy\nGLOBEX,Utilities\n")

        self.assertEqual(self.error_texts(result), ["line 3, column name: line 2 already imports this account"])

    def test_missing_name_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,industry\nGlobex,Energy\n,Utilities\n")

        self.assertEqual(self.error_texts(result), ["line 3, column name: the account name is missing"])

    def test_long_name_rejected(self):
        result = self.import_csv(ACCOUNTS, f"name\n{'x' * 201}\n")

        self.assertEqual(self.error_texts(result), ["line 2, column name: is 201 characters long; the limit is 200"])

    def test_several_errors_per_row(self):
        result = self.import_csv(ACCOUNTS, "name,website,type\n,not a site,Partner\n")

        self.assertEqual(self.error_texts(result), [
            "line 2, column name: the account name is missing",
            'line 2, column website: "not a site" is not a web address; write it as example.com or https://example.com',
            'line 2, column type: "Partner" is not an account type; use Normal or Strategic',
        ])

    def test_website_gets_scheme(self):
        self.import_csv(ACCOUNTS, "name,domain\nGlobex,globex.com\n")

        self.assertEqual(Account.objects.get(name="Globex").website, "https://globex.com")

    def test_type_label_accepted(self):
        self.import_csv(ACCOUNTS, "name,type\nGlobex,strategic\n")

        self.assertEqual(Account.objects.get(name="Globex").type, AccountType.STRATEGIC)

    def test_blank_cell_clears_field(self):
        self.account.industry = "Aerospace"
        self.account.save()

        self.import_csv(ACCOUNTS, "name,industry\nAcme Corporation,\n")

        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "")

    def test_unmapped_fields_kept(self):
        self.account.country = "France"
        self.account.save()

        self.import_csv(ACCOUNTS, "name,industry\nAcme Corporation,Aerospace\n")

        self.account.refresh_from_db()
        self.assertEqual(self.account.country, "France")
        self.assertEqual(self.account.owner, self.owner)

    def test_extra_values_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,industry\nGlobex,Energy,Oil\n")

        self.assertEqual(
            self.error_texts(result),
            ["line 2: has 3 values but the header has 2 columns; put values that contain the delimiter in double quotes"],
        )


class AllOrNothingTests(ImportTestCase):
    text = "name,website\nGlobex,globex.com\nInitech,not a site\n"

    def test_invalid_row_writes_nothing(self):
        result = self.import_csv(ACCOUNTS, self.text)

        self.assertFalse(result.written)
        self.assertFalse(Account.objects.filter(name="Globex").exists())

    def test_invalid_row_counts_valid_rows(self):
        result = self.import_csv(ACCOUNTS, self.text)

        self.assertEqual((result.created, result.rejected), (1, 1))

    def test_skip_invalid_writes_valid_rows(self):
        result = self.import_csv(ACCOUNTS, self.text, skip_invalid=True)

        self.assertTrue(result.written)
        self.assertEqual(result.rejected_lines, [3])
        self.assertTrue(Account.objects.filter(name="Globex").exists())
        self.assertFalse(Account.objects.filter(name="Initech").exists())

    def test_dry_run_writes_nothing(self):
        result = self.import_csv(ACCOUNTS, "name\nGlobex\n", dry_run=True)

        self.assertEqual(result.created, 1)
        self.assertFalse(result.written)
        self.assertFalse(Account.objects.filter(name="Globex").exists())


class ParentTests(ImportTestCase):
    def parent_of(self, name: str) -> str | None:
        parent = Account.objects.get(name=name).parent
        return parent.name if parent else None

    def test_parent_later_in_file(self):
        result = self.import_csv(ACCOUNTS, "name,parent\nGlobex Europe,Globex\nGlobex,\n")

        self.assertEqual(result.errors, [])
        self.assertEqual(self.parent_of("Globex Europe"), "Globex")

    def test_parent_in_database(self):
        self.import_csv(ACCOUNTS, "name,subsidiary_of\nAcme Europe,acme corporation\n")

        self.assertEqual(self.parent_of("Acme Europe"), "Acme Corporation")

    def test_parent_by_external_id(self):
        make_account("Globex", external_id="G-1")

        self.import_csv(ACCOUNTS, "name,parent\nGlobex Europe,G-1\n")

        self.assertEqual(self.parent_of("Globex Europe"), "Globex")

    def test_chain_of_new_accounts(self):
        self.import_csv(ACCOUNTS, "name,parent\nC,B\nB,A\nA,\n")

        self.assertEqual(self.parent_of("C"), "B")
        self.assertEqual(self.parent_of("B"), "A")
        self.assertIsNone(self.parent_of("A"))

    def test_with_parent_counted(self):
        result = self.import_csv(ACCOUNTS, "name,parent\nC,B\nB,A\nA,\n")

        self.assertEqual(result.with_parent, 2)

    def test_unknown_parent_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,parent\nGlobex Europe,Nowhere\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column parent: no account is named "Nowhere"; add it to the file or create it first'],
        )

    def test_cycle_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,parent\nA,B\nB,C\nC,A\n")

        self.assertEqual(self.error_texts(result), [
            "line 2, column parent: the parent accounts form a cycle: A → B → C → A",
            "line 3, column parent: the parent accounts form a cycle: B → C → A → B",
            "line 4, column parent: the parent accounts form a cycle: C → A → B → C",
        ])
        self.assertFalse(Account.objects.filter(name="A").exists())

    def test_own_parent_rejected(self):
        result = self.import_csv(ACCOUNTS, "name,parent\nA,a\n")

        self.assertEqual(self.error_texts(result), ["line 2, column parent: an account cannot be its own parent"])

    def test_cycle_through_database_rejected(self):
        group = make_account("Group")
        self.account.parent = group
        self.account.save()

        result = self.import_csv(ACCOUNTS, "name,parent\nGroup,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result),
            ["line 2, column parent: the parent accounts form a cycle: Group → Acme Corporation → Group"],
        )

    def test_reparenting_breaks_old_cycle_risk(self):
        group = make_account("Group")
        self.account.parent = group
        self.account.save()

        result = self.import_csv(ACCOUNTS, "name,parent\nGroup,Acme Corporation\nAcme Corporation,\n")

        self.assertEqual(result.errors, [])
        self.assertEqual(self.parent_of("Group"), "Acme Corporation")
        self.assertIsNone(self.parent_of("Acme Corporation"))

    def test_blank_parent_clears_parent(self):
        self.account.parent = make_account("Group")
        self.account.save()

        self.import_csv(ACCOUNTS, "name,parent\nAcme Corporation,\n")

        self.assertIsNone(self.parent_of("Acme Corporation"))

    def test_skip_invalid_rejects_children(self):
        text = "name,parent,website\nGroup,,not a site\nSub,Group,\nOther,,\n"

        result = self.import_csv(ACCOUNTS, text, skip_invalid=True)

        self.assertEqual(result.rejected_lines, [2, 3])
        self.assertIn(
            'line 3, column parent: the parent account "Group" is on line 2, which is rejected',
            self.error_texts(result),
        )
        self.assertEqual(list(Account.objects.filter(name__in=["Group", "Sub", "Other"]).values_list("name", flat=True)), ["Other"])

    def test_skip_invalid_keeps_parent_in_database(self):
        text = "name,parent,website\nAcme Corporation,,not a site\nAcme Europe,Acme Corporation,\n"

        result = self.import_csv(ACCOUNTS, text, skip_invalid=True)

        self.assertEqual(result.rejected_lines, [2])
        self.assertEqual(self.parent_of("Acme Europe"), "Acme Corporation")

    def test_without_skip_reports_only_bad_row(self):
        result = self.import_csv(ACCOUNTS, "name,parent,website\nGroup,,not a site\nSub,Group,\n")

        self.assertEqual(result.rejected_lines, [2])
