import datetime
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from accountwise.accounts.models import Account, AccountStatus, AccountType
from accountwise.contracts.models import ContractStatus
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_user,
    stage,
)
from accountwise.transfer.export.lists import ACCOUNTS, Export
from accountwise.transfer.export.rows import account_list_rows
from accountwise.transfer.export.writers import write_csv
from accountwise.transfer.tests.export_support import column, csv_rows, xlsx_sheet, xlsx_values


class ExportCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.globex = make_account(
            "Globex", owner=cls.teammate, type=AccountType.STRATEGIC, industry="Aerospace", country="Germany"
        )
        cls.initech = make_account("Initech", owner=cls.owner, industry="Software", country="France")
        cls.umbrella = make_account("Umbrella", status=AccountStatus.ARCHIVED, industry="Aerospace")
        make_contract(cls.account, "Acme support", end_date=datetime.date(2027, 1, 1))
        make_contract(cls.account, "Acme old", status=ContractStatus.ARCHIVED, end_date=datetime.date(2025, 1, 1))
        make_contract(cls.globex, "Globex licences", end_date=datetime.date(2027, 2, 1))
        make_contract(cls.umbrella, "Umbrella service", end_date=datetime.date(2027, 3, 1))
        make_opportunity(cls.account, "Acme renewal", stage=stage("Proposal"))
        make_opportunity(cls.globex, "Globex upsell", stage=stage("won"))
        make_contact(cls.account, "Runner")
        make_contact(cls.initech, "Lumbergh")

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def _export(self, *args: str, name: str = "out.csv") -> tuple[Path, str]:
        path = self.folder / name
        stdout = io.StringIO()
        call_command("export", *args, "--output", str(path), stdout=stdout)
        return path, stdout.getvalue()

    def _names(self, *args: str, header: str = "Name") -> list[str]:
        path, _ = self._export(*args)
        return column(csv_rows(path.read_bytes()), header)

    def test_reports_rows_and_path(self):
        path, output = self._export("accounts")

        self.assertEqual(output, f"Wrote 3 rows of accounts to {path.resolve()}\n")

    def test_accounts_as_on_list(self):
        self.assertEqual(self._names("accounts"), ["Acme Corporation", "Globex", "Initech"])

    def test_accounts_same_as_download_code(self):
        path, _ = self._export("accounts", "--status", "all", "--sort=-name")

        expected = io.BytesIO()
        rows = account_list_rows(Account.objects.all(), {"status": "all", "sort": "-name"}, user=None)
        write_csv(Export(ACCOUNTS, rows), expected)
        self.assertEqual(path.read_bytes(), expected.getvalue())

    def test_account_status_filter(self):
        self.assertEqual(self._names("accounts", "--status", "archived"), ["Umbrella"])

    def test_account_filter_options(self):
        cases = [
            (["--owner", "bob"], ["Acme Corporation", "Initech"]),
            (["--type", "strategic"], ["Globex"]),
            (["--industry", "aerospace"], ["Globex"]),
            (["--country", "FRANCE"], ["Initech"]),
            (["--q", "glob"], ["Globex"]),
            (["--account", "initech"], ["Initech"]),
            (["--account", str(self.globex.pk)], ["Globex"]),
            (["--industry", "aerospace", "--status", "all"], ["Globex", "Umbrella"]),
        ]
        for options, expected in cases:
            with self.subTest(options=options):
                self.assertEqual(self._names("accounts", *options), expected)

    def test_accounts_sort(self):
        self.assertEqual(self._names("accounts", "--sort=-name"), ["Initech", "Globex", "Acme Corporation"])

    def test_contracts_status(self):
        cases = [
            ([], ["Acme support", "Globex licences", "Umbrella service"]),
            (["--status", "archived"], ["Acme old"]),
            (["--status", "all", "--account", "Acme Corporation"], ["Acme old", "Acme support"]),
        ]
        for options, expected in cases:
            with self.subTest(options=options):
                self.assertEqual(self._names("contracts", *options), expected)

    def test_contracts_by_account_filter(self):
        self.assertEqual(self._names("contracts", "--industry", "Aerospace"), ["Globex licences", "Umbrella service"])

    def test_opportunities_status(self):
        self.assertEqual(self._names("opportunities"), ["Acme renewal"])
        self.assertEqual(self._names("opportunities", "--status", "closed_won"), ["Globex upsell"])

    def test_opportunities_by_owner(self):
        self.assertEqual(self._names("opportunities", "--owner", "charlie", "--status", "all"), ["Globex upsell"])

    def test_contacts_of_account(self):
        self.assertEqual(self._names("contacts", "--account", "initech", header="Last name"), ["Lumbergh"])

    def test_user_sees_viewable_only(self):
        inactive = make_user("erin", is_active=False)

        self.assertEqual(self._names("accounts", "--user", inactive.username), [])
        self.assertEqual(len(self._names("accounts", "--user", "dave")), 3)

    def test_xlsx_format_from_extension(self):
        path, _ = self._export("opportunities", "--account", "acme corporation", name="acme.xlsx")

        sheet = xlsx_sheet(path.read_bytes())
        self.assertEqual(sheet.title, "Opportunities – Acme Corporati…")
        self.assertEqual(column(xlsx_values(path.read_bytes()), "Name"), ["Acme renewal"])

    def test_format_option_wins(self):
        path, _ = self._export("accounts", "--format", "xlsx", name="accounts.data")

        self.assertTrue(path.read_bytes().startswith(b"PK"))

    def test_replaces_existing_file(self):
        path = self.folder / "out.csv"
        path.write_text("old")

        self._export("accounts")

        self.assertEqual(len(csv_rows(path.read_bytes())), 4)
        self.assertEqual(sorted(p.name for p in self.folder.iterdir()), ["out.csv"])

    def test_rejects_bad_options(self):
        cases = [
            (["accounts"], "out.txt", "Cannot tell the format"),
            (["contracts", "--status", "on_hold"], "out.csv", '"on_hold" is not a status of contracts'),
            (["contacts", "--status", "active"], "out.csv", "Contacts have no status"),
            (["opportunities", "--sort", "name"], "out.csv", "--sort applies to accounts only"),
            (["accounts", "--owner", "nobody"], "out.csv", 'No user has the username "nobody"'),
            (["contracts", "--account", "Nowhere Inc"], "out.csv", 'No account is named "Nowhere Inc"'),
            (["accounts"], "missing/out.csv", "does not exist"),
        ]
        for args, name, message in cases:
            with self.subTest(args=args):
                with self.assertRaisesMessage(CommandError, message):
                    self._export(*args, name=name)
                self.assertFalse((self.folder / name).exists())
