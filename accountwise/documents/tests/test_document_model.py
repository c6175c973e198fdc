from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountwise.documents.models import Document, DocumentKind, LinkProvider
from accountwise.documents.tests.support import DocumentTestCase, make_link_document
from accountwise.test import make_account, make_contract, make_opportunity


class DocumentModelTests(DocumentTestCase):
    def _link(self, **fields) -> Document:
        fields = {
            "account": self.account, "kind": DocumentKind.LINK, "title": "Offer",
            "url": "https://drive.google.com/file/d/1AbC/view", "provider": LinkProvider.GOOGLE_DRIVE, **fields,
        }
        return Document(**fields)

    def test_contract_and_opportunity_rejected(self):
        document = self._link(contract=make_contract(self.account), opportunity=make_opportunity(self.account))

        with self.assertRaisesMessage(ValidationError, "a contract or an opportunity, not both"):
            document.full_clean()
        with self.assertRaises(IntegrityError), transaction.atomic():
            document.save()

    def test_other_accounts_contract_rejected(self):
        document = self._link(contract=make_contract(make_account("Globex")))

        with self.assertRaises(ValidationError) as raised:
            document.full_clean()

        self.assertEqual(raised.exception.message_dict["contract"], ["Choose a contract of this document's account."])

    def test_other_accounts_opportunity_rejected(self):
        document = self._link(opportunity=make_opportunity(make_account("Globex")))

        with self.assertRaises(ValidationError) as raised:
            document.full_clean()

        self.assertIn("opportunity", raised.exception.message_dict)

    def test_link_without_url_rejected_by_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self._link(url="").save()

    def test_upload_without_file_rejected_by_database(self):
        document = Document(
            account=self.account, kind=DocumentKind.UPLOAD, title="Offer", original_name="Offer.pdf", size=10,
            content_type="application/pdf",
        )

        with self.assertRaises(IntegrityError), transaction.atomic():
            document.save()

    def test_unknown_kind_rejected_by_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self._link(kind="fax").save()

    def test_open_url_of_link(self):
        link = make_link_document(self.account, "https://1drv.ms/w/s!AbC")

        self.assertEqual(link.get_absolute_url(), "https://1drv.ms/w/s!AbC")
        self.assertEqual(link.link_host, "1drv.ms")
        self.assertEqual(link.icon, "bi-cloud-fill")
