import io
import json

import openpyxl

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.tests.support import WizardTestCase

URL = reverse("transfer:import-start")
ACCOUNTS_CSV = b"Account Name,Industry\nGlobex,Energy\nInitech,Software\n"


class ImportStartAccessTests(WizardTestCase):
    def test_member_sees_page(self):
        self.login(self.outsider)

        response = self.client.get(URL)

        self.assertContains(response, "Import from a spreadsheet")

    def test_administrator_sees_page(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_sidebar_links_to_import(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, f'href="{URL}"><i class="bi bi-upload"></i> Import</a>', html=False)

    def test_inactive_user_refused(self):
        self.owner.is_active = False
        self.owner.save()
        self.client.force_login(self.owner)

        response = self.client.get(URL)

        self.assertNotEqual(response.status_code, 200)


class ImportUploadTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def test_upload_creates_draft(self):
        response = self.upload("accounts", "Customers List.csv", ACCOUNTS_CSV)

        run = self.latest_run()
        self.assertRedirects(response, reverse("transfer:import-columns", args=[run.pk]))
        self.assertEqual(run.status, ImportStatus.DRAFT)
        self.assertEqual(run.created_by, self.owner)
        self.assertEqual((run.entity, run.file_name, run.row_count), ("accounts", "Customers List.csv", 2))

    def test_file_stored_under_generated_name(self):
        self.upload("accounts", "Customers List.csv", ACCOUNTS_CSV)

        run = self.latest_run()
        self.assertRegex(run.file.name, r"^imports/[0-9a-f]{32}\.csv$")
        with run.file.open("rb") as file:
            self.assertEqual(file.read(), ACCOUNTS_CSV)

    def test_workbook_first_sheet_counted(self):
        workbook = openpyxl.Workbook()
        workbook.active.append(["Account Name"])
        for name in ("Globex", "Initech", "Hooli"):
            workbook.active.append([name])
        workbook.create_sheet("Notes").append(["ignored"])
        buffer = io.BytesIO()
        workbook.save(buffer)

        self.upload("accounts", "book.xlsx", buffer.getvalue())

        run = self.latest_run()
        self.assertEqual(run.row_count, 3)
        self.assertRegex(run.file.name, r"^imports/[0-9a-f]{32}\.xlsx$")

    def test_empty_upload_rejected(self):
        response = self.upload("accounts", "empty.csv", b"")

        self.assertContains(response, "The file you chose is empty (0 bytes). Export the data again and choose the new file.")
        self.assertFalse(ImportRun.objects.exists())

    @override_settings(IMPORT_MAX_UPLOAD_MB=1)
    def test_oversized_upload_rejected(self):
        data = b"name\n" + b"Globex Corporation\n" * 60_000

        response = self.upload("accounts", "big.csv", data)

        self.assertContains(
            response, "big.csv is 1.1 MB; the largest file you can import is 1 MB. Split it into smaller files"
        )
        self.assertFalse(ImportRun.objects.exists())

    def test_blank_file_rejected(self):
        response = self.upload("accounts", "blank.csv", b"\n;;\n\n")

        self.assertContains(response, "blank.csv is empty; export the data again with a header row")

    def test_header_only_rejected(self):
        response = self.upload("accounts", "header.csv", b"name,industry\n")

        self.assertContains(response, "header.csv has a header row but no data rows; add the data below the header.")

    def test_duplicate_headers_rejected(self):
        response = self.upload("accounts", "dup.csv", b"name,Name\nGlobex,Globex\n")

        self.assertContains(response, "dup.csv has two columns named &quot;name&quot; and &quot;Name&quot;")

    def test_binary_file_rejected(self):
        response = self.upload("accounts", "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)

        self.assertContains(response, "photo.csv is not text in any encoding that could be detected")

    def test_old_excel_rejected(self):
        response = self.upload("accounts", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

        self.assertContains(response, "old.xls is an old Excel (.xls) workbook")

    def test_missing_file_named(self):
        response = self.client.post(URL, {"entity": "accounts"})

        self.assertContains(response, "Choose the CSV or Excel file to import.")

    def test_entity_kept_after_error(self):
        response = self.upload("opportunities", "empty.csv", b"")

        self.assertContains(response, 'value="opportunities" autocomplete="off" checked')

    def test_entity_from_query(self):
        response = self.client.get(URL + "?entity=contracts")

        self.assertContains(response, 'value="contracts" autocomplete="off" checked')

    def test_references_saved(self):
        references = {"records": [{"attributes": {"type": "Account", "referenceId": "AccountRef1"}, "Name": "Globex"}]}

        self.upload(
            "contacts", "Contacts.csv", b"LastName,AccountId\nLovelace,@AccountRef1\n",
            references=self.json_upload("Accounts.json", references),
        )

        run = self.latest_run()
        self.assertEqual(run.references_file_name, "Accounts.json")
        self.assertRegex(run.references_file.name, r"^imports/[0-9a-f]{32}\.json$")

    def test_invalid_references_rejected(self):
        response = self.upload("contacts", "Contacts.csv", ACCOUNTS_CSV, references=self.json_upload("Accounts.json", []))

        self.assertContains(response, "Accounts.json has no &quot;records&quot; list")
        self.assertFalse(ImportRun.objects.exists())

    def test_recent_imports_listed(self):
        self.make_run(self.owner, "name\nGlobex\n", name="mine.csv")
        self.make_run(self.outsider, "name\nGlobex\n", name="theirs.csv")

        response = self.client.get(URL)

        self.assertContains(response, "mine.csv")
        self.assertNotContains(response, "theirs.csv")

    def json_upload(self, name: str, document):
        return SimpleUploadedFile(name, json.dumps(document).encode())
