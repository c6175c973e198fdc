"""Hostile input through the forms, search, filters, import and uploads: escaped, rejected with a message, or neutralised."""

import codecs

from django.urls import reverse

from accountwise.accounts.models import Account, Contact
from accountwise.documents.models import Document
from accountwise.documents.tests.support import PDF, upload
from accountwise.test import make_contact, make_contract
from accountwise.transfer.tests.support import WizardTestCase

SCRIPT = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
SQL_TEXT = ["' OR 1=1 --", '"; DROP TABLE accounts_account; --', "%_\\", "\x00", "Robert'); --"]


class HostileInputTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def test_account_text_fields_escaped(self):
        data = {
            "name": f"Acme {SCRIPT}", "owner": self.owner.pk, "type": "normal", "industry": SCRIPT,
            "country": SCRIPT, "website": "", "description": SCRIPT,
        }

        self.client.post(reverse("accounts:create"), data)

        account = Account.objects.get(name__startswith="Acme <script>")
        for url in (account.get_absolute_url(), reverse("accounts:list")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, ESCAPED)
                self.assertNotContains(response, SCRIPT)

    def test_contact_text_fields_escaped(self):
        fields = {"first_name": SCRIPT, "last_name": SCRIPT, "title": SCRIPT, "notes": SCRIPT}
        contact = make_contact(self.account, **{k: v for k, v in fields.items() if hasattr(Contact, k)})

        for url in (reverse("accounts:contact-detail", args=[contact.pk]),
                    reverse("accounts:contacts", args=[self.account.pk])):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, ESCAPED)
                self.assertNotContains(response, SCRIPT)

    def test_contract_text_fields_escaped(self):
        contract = make_contract(self.account, SCRIPT, description=SCRIPT)

        for url in (contract.get_absolute_url(), self.account.get_absolute_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, ESCAPED)
                self.assertNotContains(response, SCRIPT)

    def test_overlong_name_gets_field_error(self):
        response = self.client.post(reverse("accounts:create"), {"name": "A" * 5000, "type": "normal"})

        self.assertEqual(response.status_code, 200)
        self.assertIn("name", response.context["form"].errors)
        self.assertFalse(Account.objects.filter(name__startswith="AAAA").exists())

    def test_sql_text_in_search_and_filters(self):
        urls = [
            (reverse("accounts:list"), "q"),
            (reverse("accounts:list"), "status"),
            (reverse("accounts:list"), "sort"),
            (reverse("transfer:export-accounts", args=["csv"]), "q"),
            (reverse("api:v1:account-list"), "search"),
        ]
        for url, param in urls:
            for text in SQL_TEXT:
                with self.subTest(url=url, param=param, text=text):
                    response = self.client.get(url, {param: text})
                    self.assertLess(response.status_code, 500)
                    self.assertNotEqual(response.status_code, 404)
        self.assertTrue(Account.objects.filter(pk=self.account.pk).exists())

    def test_invalid_utf8_import_explained(self):
        response = self.upload("accounts", "accounts.csv", codecs.BOM_UTF8 + b"name\nCaf\xff\xfe\x80 Ltd\n")

        self.assertContains(response, "is not valid UTF-8 with BOM; save it again as UTF-8.")

    def test_path_tricks_in_document_names(self):
        names = ["../../etc/passwd.pdf", "..\\..\\windows\\win.ini.pdf", "report\x00.pdf", "x" * 600 + ".pdf"]
        for name in names:
            with self.subTest(name=name[:40]):
                self.client.post(
                    reverse("documents:create", args=[self.account.pk]),
                    {"kind": "upload", "file": upload(name, PDF), "belongs_to": "account"},
                )

        stored = list(Document.objects.values_list("original_name", "file"))
        self.assertTrue(stored)
        for name, path in stored:
            with self.subTest(name=name[:40]):
                self.assertNotIn("/", name)
                self.assertNotIn("\\", name)
                self.assertNotIn("\x00", name)
                self.assertNotIn("..", path)
                self.assertLessEqual(len(name), 255)
