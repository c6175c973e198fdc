import codecs
import csv
import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.opportunities.models import Opportunity, Stage
from accountwise.test import stage
from accountwise.transfer.tests.support import ImportTestCase

OPPORTUNITIES_CSV = (
    "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date\n"
    "X1,Renewal,Acme Corporation,Closed Won,\"1,200.50\",2025-01-31\n"
    "X2,Upsell,Acme Corporation,Engaging,900,2025-02-28\n"
    "X3,Expansion,Acme Corporation,Negotiation,-5,someday\n"
    "X4,Pilot,Acme Corporation,engaging,300,2025-03-31\n"
)


class CommandOutputTests(ImportTestCase):
    def test_reports_how_file_was_read(self):
        out, _ = self.run_command("accounts", self.write_csv("name;sector\nGlobex;Energy\n"))

        self.assertIn("Read import.csv (CSV, UTF-8, semicolon-separated): 1 row.", out)

    def test_reports_columns_and_ignored(self):
        path = self.write_csv("account,sector,revenue,employees\nGlobex,Energy,12,40\n")

        out, _ = self.run_command("accounts", path)

        self.assertIn("Columns: account → name, sector → industry.", out)
        self.assertIn("Ignored columns (matches no field): revenue, employees.", out)

    def test_reports_summary(self):
        path = self.write_csv("name,parent\nGlobex Europe,Globex\nGlobex,\nAcme Corporation,\n")

        out, _ = self.run_command("accounts", path)

        self.assertIn("Accounts: 2 created, 0 updated, 1 unchanged, 0 rejected.", out)
        self.assertIn("1 of them have a parent account.", out)

    def test_reports_totals_by_stage_kind(self):
        path = self.write_csv(
            "name,account,stage,value,close_date\n"
            "A,Acme Corporation,Won,1000,2025-01-31\nB,Acme Corporation,Lost,0,2025-01-31\n"
        )

        out, _ = self.run_command("opportunities", path)

        self.assertIn("Closed won: 1, total value 1,000.00", out)
        self.assertIn("Closed lost: 1, total value 0.00", out)


class AllOrNothingCommandTests(ImportTestCase):
    def test_invalid_rows_write_nothing(self):
        self.run_failing_command("opportunities", self.write_csv(OPPORTUNITIES_CSV))

        self.assertEqual(Opportunity.objects.count(), 0)

    def test_every_error_printed(self):
        _, err, _ = self.run_failing_command("opportunities", self.write_csv(OPPORTUNITIES_CSV))

        self.assertIn('line 3, column Stage: "Engaging" is not a stage; map it to an existing stage or create it', err)
        self.assertIn('line 4, column Amount: "-5" is negative; amounts must be 0 or more', err)
        self.assertIn('line 4, column Close Date: "someday" is not a date', err)
        self.assertIn('line 5, column Stage: "engaging" is not a stage', err)

    def test_failure_names_fix(self):
        _, _, failure = self.run_failing_command("opportunities", self.write_csv(OPPORTUNITIES_CSV))

        self.assertEqual(
            failure,
            "3 of 4 rows are invalid (4 errors listed above), so nothing was imported. Fix them, or pass "
            "--skip-invalid to import the valid rows and write the others to a rejects file.",
        )

    def test_unknown_stage_listed_with_rows(self):
        _, err, _ = self.run_failing_command("opportunities", self.write_csv(OPPORTUNITIES_CSV))

        self.assertIn(
            'Unknown stage "Engaging" on 2 rows (lines 3, 5): map it with --stage-map "Engaging=STAGE" '
            "or add it as an open stage with --create-stages.",
            err,
        )

    def test_exit_code_non_zero(self):
        path = self.write_file("empty.csv", b"")
        environment = {**os.environ, "DATA_DIR": str(self.folder / "data")}

        completed = subprocess.run(
            [sys.executable, "-m", "accountwise", "import", "accounts", str(path)],
            capture_output=True, text=True, env=environment, timeout=60,
        )

        self.assertEqual(completed.returncode, 1)
        self.assertIn("empty.csv is empty", completed.stderr)


class SkipInvalidCommandTests(ImportTestCase):
    def run_skipping(self, *extra):
        out, err = self.run_command("opportunities", self.write_csv(OPPORTUNITIES_CSV), "--skip-invalid", *extra)
        return out, err

    def rejects_path(self) -> Path:
        return next((self.folder / "data" / "imports").glob("import-rejects-*.csv"))

    def test_valid_rows_imported(self):
        out, _ = self.run_skipping()

        self.assertEqual(list(Opportunity.objects.values_list("external_id", flat=True)), ["X1"])
        self.assertIn("Opportunities: 1 created, 0 updated, 0 unchanged, 3 rejected.", out)

    def test_rejects_path_printed(self):
        out, _ = self.run_skipping()

        self.assertIn(f'Wrote 3 rejected rows, with the reasons in an "error" column, to {self.rejects_path()}', out)

    def test_rejects_file_under_data_dir(self):
        self.run_skipping()

        self.assertEqual(self.rejects_path().parent, Path(settings.DATA_DIR) / "imports")

    def test_rejects_file_has_bom(self):
        self.run_skipping()

        self.assertTrue(self.rejects_path().read_bytes().startswith(codecs.BOM_UTF8))

    def test_rejects_keep_rows_unchanged(self):
        self.run_skipping()

        with self.rejects_path().open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        self.assertEqual(rows[0], ["Opportunity ID", "Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "error"])
        self.assertEqual(rows[1][:6], ["X2", "Upsell", "Acme Corporation", "Engaging", "900", "2025-02-28"])
        self.assertEqual(rows[2][:6], ["X3", "Expansion", "Acme Corporation", "Negotiation", "-5", "someday"])
        self.assertEqual(len(rows), 4)

    def test_rejects_list_every_reason(self):
        self.run_skipping()

        with self.rejects_path().open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        self.assertEqual(
            rows[2][6],
            'Amount: "-5" is negative; amounts must be 0 or more; Close Date: "someday" is not a date; '
            "write dates as 2024-12-31 or set the date format",
        )

    def test_rejects_keep_delimiter(self):
        path = self.write_csv("name;website\nGlobex;globex.com\nInitech;not a site\n")

        self.run_command("accounts", path, "--skip-invalid")

        text = self.rejects_path().read_text(encoding="utf-8-sig")
        self.assertEqual(text.splitlines()[1], 'Initech;not a site;"website: ""not a site"" is not a web address; '
                         'write it as example.com or https://example.com"')

    def test_rejects_option(self):
        target = self.folder / "out" / "rejected.csv"

        self.run_skipping("--rejects", target)

        self.assertTrue(target.exists())

    def test_rejects_option_needs_skip_invalid(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name\nGlobex\n"), "--rejects", "x.csv")

        self.assertIn("--rejects needs --skip-invalid", failure)


class OptionTests(ImportTestCase):
    def test_map_override(self):
        path = self.write_csv("product,account,stage,value,close_date\nGTX Basic,Acme Corporation,Won,1,2025-01-31\n")

        self.run_command("opportunities", path, "--map", "product=name")

        self.assertTrue(Opportunity.objects.filter(name="GTX Basic").exists())

    def test_map_ignore(self):
        path = self.write_csv("name,sector\nGlobex,Energy\n")

        out, _ = self.run_command("accounts", path, "--map", "sector=")

        self.assertIn("Ignored columns (ignored as requested): sector.", out)
        self.assertEqual(Account.objects.get(name="Globex").industry, "")

    def test_map_unknown_column(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name\nGlobex\n"), "--map", "region=country")

        self.assertEqual(failure, 'import.csv: the file has no column "region"; its columns are name (with --map).')

    def test_missing_required_column(self):
        path = self.write_csv("product,account,stage,value,close_date\nGTX,Acme Corporation,Won,1,2025-01-31\n")

        _, _, failure = self.run_failing_command("opportunities", path)

        self.assertIn("the file has no column for the opportunity name", failure)
        self.assertIn("COLUMN=name (with --map)", failure)

    def test_stage_map(self):
        self.run_command(
            "opportunities", self.write_csv(OPPORTUNITIES_CSV), "--skip-invalid", "--stage-map", "Engaging=Qualification"
        )

        self.assertEqual(Opportunity.objects.get(external_id="X2").stage, stage("Qualification"))

    def test_stage_map_unknown_stage(self):
        _, _, failure = self.run_failing_command(
            "opportunities", self.write_csv(OPPORTUNITIES_CSV), "--stage-map", "Engaging=Demo"
        )

        self.assertIn('--stage-map: there is no stage named "Demo"', failure)

    def test_create_stages_notice(self):
        out, _ = self.run_command("opportunities", self.write_csv(OPPORTUNITIES_CSV), "--skip-invalid", "--create-stages")

        self.assertIn(
            "Created 1 open stage with probability 0 %: Engaging. An administrator should set their probability.", out
        )
        self.assertTrue(Stage.objects.filter(name="Engaging", probability=0).exists())

    def test_stage_options_for_accounts(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name\nGlobex\n"), "--create-stages")

        self.assertEqual(failure, "--stage-map and --create-stages apply to opportunities only.")

    def test_create_owners_notice(self):
        path = self.write_csv("name,owner\nGlobex,Moses Frase\nInitech,Zoë Ledger\n")

        out, _ = self.run_command("accounts", path, "--create-owners")

        self.assertIn(
            "Created 2 owners as members without a password; they cannot sign in until an administrator "
            "sets one: Moses Frase, Zoë Ledger.",
            out,
        )

    def test_date_format(self):
        path = self.write_csv("name,account,stage,value,close_date\nA,Acme Corporation,Won,1,03/04/2025\n")

        self.run_command("opportunities", path, "--date-format", "%d/%m/%Y")

        self.assertEqual(Opportunity.objects.get(name="A").close_date, datetime.date(2025, 4, 3))

    def test_date_format_without_directives(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name\nGlobex\n"), "--date-format", "dd/mm/yyyy")

        self.assertIn("has no % directives", failure)

    def test_encoding_and_delimiter(self):
        path = self.write_csv("name|industry\nŁódź Sp. z o.o.|Energia\n", encoding="cp1250")

        self.run_command("accounts", path, "--encoding", "cp1250", "--delimiter", "pipe")

        self.assertEqual(Account.objects.get(name="Łódź Sp. z o.o.").industry, "Energia")

    def test_dry_run(self):
        out, _ = self.run_command("accounts", self.write_csv("name\nGlobex\n"), "--dry-run")

        self.assertIn("Accounts: 1 created", out)
        self.assertIn("Dry run: nothing was written.", out)
        self.assertFalse(Account.objects.filter(name="Globex").exists())


class FileProblemTests(ImportTestCase):
    def test_empty_file(self):
        _, _, failure = self.run_failing_command("accounts", self.write_file("empty.csv", b""))

        self.assertEqual(
            failure, "empty.csv is empty; export the data again with a header row and at least one data row."
        )

    def test_header_only(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name,industry\n"))

        self.assertEqual(failure, "import.csv has a header row but no data rows; add the data below the header.")

    def test_duplicate_headers(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name,Name\nA,B\n"))

        self.assertIn('import.csv has two columns named "name" and "Name"', failure)

    def test_missing_file(self):
        _, _, failure = self.run_failing_command("accounts", self.folder / "nope.csv")

        self.assertIn("nope.csv does not exist; check the file name and folder.", failure)


class XlsxCommandTests(ImportTestCase):
    def write_workbook(self):
        return self.write_xlsx({
            "Accounts": [["Account Name", "Industry"], ["Globex", "Energy"]],
            "Deals": [["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"],
                      ["Renewal", "Acme Corporation", "Proposal", 1500.25, datetime.datetime(2025, 6, 30)]],
        })

    def test_first_sheet_named(self):
        out, _ = self.run_command("accounts", self.write_workbook())

        self.assertIn(
            'The workbook has 2 sheets (Accounts, Deals); read the first, "Accounts". Pass --sheet NAME to read another.',
            out,
        )
        self.assertTrue(Account.objects.filter(name="Globex").exists())

    def test_sheet_option(self):
        out, _ = self.run_command("opportunities", self.write_workbook(), "--sheet", "Deals")

        self.assertIn('Read import.xlsx (XLSX, sheet "Deals"): 1 row.', out)
        opportunity = Opportunity.objects.get(name="Renewal")
        self.assertEqual(str(opportunity.value), "1500.25")
        self.assertEqual(opportunity.close_date, datetime.date(2025, 6, 30))

    def test_rejects_from_xlsx(self):
        path = self.write_xlsx({"Deals": [
            ["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"],
            ["Renewal", "Nowhere Inc", "Proposal", 1500, datetime.datetime(2025, 6, 30)],
        ]})

        self.run_command("opportunities", path, "--skip-invalid")

        rejects = next((self.folder / "data" / "imports").glob("import-rejects-*.csv"))
        rows = list(csv.reader(rejects.open(encoding="utf-8-sig", newline="")))
        self.assertEqual(rows[1][:5], ["Renewal", "Nowhere Inc", "Proposal", "1500", "2025-06-30"])


class EntityCommandTests(ImportTestCase):
    def test_contacts(self):
        out, _ = self.run_command("contacts", self.write_csv("Name,Account,Reports to\nAda Lovelace,Acme Corporation,\n"))

        self.assertIn("Contacts: 1 created, 0 updated, 0 unchanged, 0 rejected.", out)
        self.assertEqual(Contact.objects.get().full_name, "Ada Lovelace")

    def test_contacts_with_manager_counted(self):
        path = self.write_csv("Name,Account,Reports to\nAda Lovelace,Acme Corporation,Grace Hopper\nGrace Hopper,Acme Corporation,\n")

        out, _ = self.run_command("contacts", path)

        self.assertIn("1 of them report to another contact.", out)

    def test_contracts(self):
        out, _ = self.run_command("contracts", self.write_csv("Name,Account,Value\nSupport,Acme Corporation,100\n"))

        self.assertIn("Contracts: 1 created, 0 updated, 0 unchanged, 0 rejected.", out)
        self.assertEqual(Contract.objects.get().name, "Support")

    def test_create_accounts_notice(self):
        out, _ = self.run_command("contracts", self.write_csv("Name,Account\nSupport,Globex\n"), "--create-accounts")

        self.assertIn("Created 1 account: Globex.", out)
        self.assertTrue(Account.objects.filter(name="Globex").exists())

    def test_create_accounts_for_accounts_rejected(self):
        _, _, failure = self.run_failing_command("accounts", self.write_csv("name\nGlobex\n"), "--create-accounts")

        self.assertIn("--create-accounts applies to contacts, contracts and opportunities", failure)

    def test_references_option(self):
        references = self.write_file(
            "Accounts.json",
            b'{"records": [{"attributes": {"type": "Account", "referenceId": "AccountRef1"}, "Name": "Acme Corporation"}]}',
        )

        out, _ = self.run_command(
            "contacts", self.write_csv("LastName,AccountId\nLovelace,@AccountRef1\n"), "--references", references
        )

        self.assertIn("References: 1 account in Accounts.json.", out)
        self.assertEqual(Contact.objects.get().account, self.account)

    def test_missing_references_file(self):
        _, _, failure = self.run_failing_command(
            "contacts", self.write_csv("LastName,AccountId\nLovelace,@AccountRef1\n"), "--references", self.folder / "no.json"
        )

        self.assertIn("--references:", failure)
        self.assertIn("could not be read", failure)
