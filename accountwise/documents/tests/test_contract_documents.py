from urllib.parse import quote

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.documents.models import Document
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.test import make_contract

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContractDocumentsCardTests(DocumentTestCase):
    """The documents card on a contract's page."""

    def setUp(self):
        super().setUp()
        self.contract = make_contract(self.account, "Support 2027")
        self.url = self.contract.get_absolute_url()
        self.login(self.owner)

    def test_lists_only_contract_documents(self):
        make_uploaded_document(self.account, "Signed.pdf", contract=self.contract)
        make_link_document(self.account, title="Price list", contract=self.contract)
        make_uploaded_document(self.account, "Account plan.pdf")
        make_uploaded_document(self.account, "Other.pdf", contract=make_contract(self.account, "Licences"))

        response = self.client.get(self.url)

        titles = [document.title for document in response.context["documents_card"]["documents"]]
        self.assertEqual(titles, ["Price list", "Signed.pdf"])
        self.assertContains(response, 'id="documents"')
        self.assertNotContains(response, "Account plan.pdf")

    def test_add_preselects_contract(self):
        response = self.client.get(self.url)

        add_url = reverse("documents:create", args=[self.account.pk])
        next_url = quote(f"{self.url}#documents", safe="")
        self.assertContains(response, f'href="{add_url}?contract={self.contract.pk}&amp;next={next_url}"')

    def test_empty_state(self):
        response = self.client.get(self.url)

        self.assertContains(response, "No documents for Support 2027 yet.")

    def test_outsider_sees_no_add(self):
        document = make_uploaded_document(self.account, "Signed.pdf", contract=self.contract)
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, "Signed.pdf")
        self.assertNotContains(response, reverse("documents:create", args=[self.account.pk]))
        self.assertNotContains(response, reverse("documents:delete", args=[document.pk]))

    def test_document_also_on_account(self):
        make_uploaded_document(self.account, "Signed.pdf", contract=self.contract)

        tab = self.client.get(reverse("accounts:documents", args=[self.account.pk]))
        details = self.client.get(self.account.get_absolute_url())

        self.assertContains(tab, "Signed.pdf")
        self.assertContains(details, "Signed.pdf")

    def test_archive_asks_when_documents_exist(self):
        make_uploaded_document(self.account, "Signed.pdf", contract=self.contract)

        response = self.client.get(self.url)

        self.assertContains(response, f'href="{reverse("contracts:archive-confirm", args=[self.contract.pk])}"')

    def test_archive_direct_without_documents(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'action="{reverse("contracts:archive", args=[self.contract.pk])}"')
        self.assertNotContains(response, reverse("contracts:archive-confirm", args=[self.contract.pk]))


class ContractArchiveConfirmTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.contract = make_contract(self.account, "Support 2027")
        self.document = make_uploaded_document(self.account, "Signed.pdf", contract=self.contract)
        self.url = reverse("contracts:archive-confirm", args=[self.contract.pk])
        self.archive_url = reverse("contracts:archive", args=[self.contract.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 403)

    def test_offers_keep_or_delete(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, f'action="{self.archive_url}"')
        self.assertContains(response, 'name="delete_documents" value="0" id="keep-documents" checked')
        self.assertContains(response, 'name="delete_documents" value="1" id="delete-documents"')
        self.assertContains(response, "Its 1 document")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)

    def test_archive_keeps_documents(self):
        self.login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.archive_url, {"delete_documents": "0"}, follow=True)

        self.contract.refresh_from_db()
        self.document.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ARCHIVED)
        self.assertEqual(self.document.contract, self.contract)
        self.assertEqual(len(self.stored_files()), 1)
        self.assertContains(response, "Contract Support 2027 archived.")
        tab = self.client.get(reverse("accounts:documents", args=[self.account.pk]))
        self.assertContains(tab, "Signed.pdf")

    def test_archive_from_section_keeps_documents(self):
        self.login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{self.archive_url}?contracts=active", **HTMX)

        self.document.refresh_from_db()
        self.assertEqual(self.document.contract, self.contract)
        self.assertEqual(len(self.stored_files()), 1)

    def test_archive_can_delete_documents(self):
        make_link_document(self.account, contract=self.contract)
        kept = make_uploaded_document(self.account, "Account plan.pdf")
        self.login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.archive_url, {"delete_documents": "1"}, follow=True)

        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ARCHIVED)
        self.assertEqual(list(Document.objects.all()), [kept])
        self.assertEqual(self.stored_files(), [self.media_root / kept.file.name])
        self.assertContains(response, "Contract Support 2027 archived. 2 documents deleted with it.")
