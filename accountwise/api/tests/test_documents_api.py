from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.documents.models import Document
from accountwise.documents.tests.support import (
    WINDOWS_PROGRAM, DocumentTestCase, make_link_document, make_uploaded_document, upload,
)
from accountwise.test import make_contract

LIST_URL = reverse("api:v1:document-list")


class DocumentsApiTests(DocumentTestCase):
    def _upload(self, **fields):
        data = {"account": self.account.pk, "kind": "upload", "file": upload(), **fields}
        return self.client.post(LIST_URL, data)

    def test_member_lists_metadata(self):
        make_link_document(self.account, title="Proposal draft")
        self.login(self.outsider)

        response = self.client.get(LIST_URL, {"account": self.account.pk})

        self.assertEqual([d["title"] for d in response.json()["results"]], ["Proposal draft"])

    def test_owner_uploads_file(self):
        contract = make_contract(self.account)
        self.login(self.owner)

        response = self._upload(title="Signed", belongs_to=f"contract-{contract.pk}")

        self.assertEqual(response.status_code, 201)
        document = Document.objects.get()
        self.assertEqual(document.contract, contract)
        self.assertEqual(document.original_name, "contract.pdf")
        self.assertEqual(len(self.stored_files()), 1)

    def test_program_upload_is_rejected(self):
        self.login(self.owner)

        response = self._upload(file=upload("setup.pdf", WINDOWS_PROGRAM))

        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())
        self.assertEqual(self.stored_files(), [])

    def test_outsider_cannot_upload(self):
        self.login(self.outsider)

        response = self._upload()

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Document.objects.exists())

    def test_admin_adds_link(self):
        self.login(self.admin)

        response = self.client.post(
            LIST_URL, {"account": self.account.pk, "kind": "link", "title": "Deck",
                       "url": "https://drive.google.com/file/d/1AbC/view"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 201)
        self.assertEqual(Document.objects.get().provider, "google_drive")

    def test_link_without_title_is_named(self):
        self.login(self.owner)

        response = self.client.post(
            LIST_URL, {"account": self.account.pk, "kind": "link", "url": "https://drive.google.com/file/d/1AbC/view"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 400)
        self.assertIn("title", response.json())

    def test_member_downloads_file(self):
        document = make_uploaded_document(self.account, "Plan.pdf")
        self.login(self.outsider)

        response = self.client.get(reverse("api:v1:document-download", args=[document.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="Plan.pdf"')
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF"))

    def test_anonymous_cannot_download(self):
        document = make_uploaded_document(self.account)

        response = self.client.get(reverse("api:v1:document-download", args=[document.pk]))

        self.assertEqual(response.status_code, 401)

    def test_link_has_no_download(self):
        document = make_link_document(self.account)
        self.login(self.owner)

        response = self.client.get(reverse("api:v1:document-download", args=[document.pk]))

        self.assertEqual(response.status_code, 404)

    def test_owner_deletes_document(self):
        document = make_link_document(self.account)
        self.login(self.owner)

        response = self.client.delete(reverse("api:v1:document-detail", args=[document.pk]))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(Document.objects.exists())

    def test_archived_account_keeps_document(self):
        document = make_link_document(self.account)
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.delete(reverse("api:v1:document-detail", args=[document.pk]))

        self.assertEqual(response.status_code, 403)
        self.assertTrue(Document.objects.exists())
