from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse

from accountwise.documents.models import document_storage
from accountwise.documents.tests import support
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.documents.views import attachment_header


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


class DocumentDownloadTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.document = make_uploaded_document(self.account, "Signed contract.pdf")
        self.url = reverse("documents:download", args=[self.document.pk])

    def test_anonymous_sent_to_login(self):
        response = self.client.get(self.url)

        self.assertRedirects(
            response, f"{reverse(settings.LOGIN_URL)}?next={self.url}", fetch_redirect_response=False
        )

    def test_every_user_may_download(self):
        # The policy lets every active user see every account and what belongs to it.
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)
                self.assertEqual(_body(response), support.PDF)

    def test_inactive_user_sent_to_login(self):
        self.outsider.is_active = False
        self.outsider.save()
        self.client.force_login(self.outsider)

        response = self.client.get(self.url)

        self.assertRedirects(
            response, f"{reverse(settings.LOGIN_URL)}?next={self.url}", fetch_redirect_response=False
        )

    def test_sent_as_attachment(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="Signed contract.pdf"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Length"], str(len(support.PDF)))

    def test_text_sent_with_charset(self):
        document = make_uploaded_document(self.account, "notes.csv", support.CSV)
        self.login(self.owner)

        response = self.client.get(reverse("documents:download", args=[document.pk]))

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(_body(response), support.CSV)

    def test_unicode_name_encoded(self):
        document = make_uploaded_document(self.account, "Vertrag Müller – 契約.pdf")
        self.login(self.owner)

        response = self.client.get(reverse("documents:download", args=[document.pk]))

        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="Vertrag Muller _ __.pdf"; '
            "filename*=utf-8''Vertrag%20M%C3%BCller%20%E2%80%93%20%E5%A5%91%E7%B4%84.pdf",
        )

    def test_missing_file_clear_not_found(self):
        document_storage().delete(self.document.file.name)
        self.login(self.owner)

        with self.assertLogs("accountwise.documents.views", level="ERROR") as logs:
            response = self.client.get(self.url)

        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "documents/file_missing.html")
        self.assertContains(response, "The file of “Signed contract.pdf” was not found", status_code=404)
        self.assertContains(response, "Acme Corporation", status_code=404)
        self.assertIn(self.document.file.name, logs.output[0])
        self.assertIn(f"Document {self.document.pk} of account {self.account.pk}", logs.output[0])

    def test_link_has_no_download(self):
        link = make_link_document(self.account)
        self.login(self.owner)

        response = self.client.get(reverse("documents:download", args=[link.pk]))

        self.assertEqual(response.status_code, 404)

    def test_missing_document_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("documents:download", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_post_not_allowed(self):
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 405)

    def test_no_public_url_serves_file(self):
        stored = self.document.file.name
        self.login(self.owner)

        for url in (f"/media/{stored}", f"/{stored}", f"/{document_storage().url(stored).lstrip('/')}"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(support.PDF, response.content)

    def test_no_public_url_for_anonymous(self):
        response = self.client.get(f"/media/{self.document.file.name}")

        self.assertEqual(response.status_code, 404)
        self.assertNotIn(support.PDF, response.content)


class AttachmentHeaderTests(SimpleTestCase):
    def test_ascii_name_plain(self):
        self.assertEqual(attachment_header("Offer 2027.pdf"), 'attachment; filename="Offer 2027.pdf"')

    def test_quotes_and_backslashes_replaced(self):
        header = attachment_header('The "final" offer\\v2.pdf')

        self.assertTrue(header.startswith('attachment; filename="The _final_ offer_v2.pdf"; '))
        self.assertIn("filename*=utf-8''The%20%22final%22%20offer%5Cv2.pdf", header)

    def test_non_latin_name_has_fallback(self):
        self.assertEqual(
            attachment_header("契約.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=utf-8''%E5%A5%91%E7%B4%84.pdf",
        )
