from django.urls import reverse

from accountwise.documents.models import Document
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.opportunities.models import Opportunity
from accountwise.test import make_opportunity


class OpportunityDocumentsCardTests(DocumentTestCase):
    """The documents card on an opportunity's page."""

    def setUp(self):
        super().setUp()
        self.opportunity = make_opportunity(self.account, "Upsell")
        self.login(self.owner)

    def test_lists_opportunity_documents(self):
        make_link_document(self.account, title="Proposal deck", opportunity=self.opportunity)
        make_uploaded_document(self.account, "Account plan.pdf")

        response = self.client.get(self.opportunity.get_absolute_url())

        titles = [document.title for document in response.context["documents_card"]["documents"]]
        self.assertEqual(titles, ["Proposal deck"])
        self.assertContains(response, 'href="https://drive.google.com/file/d/1AbC/view"')

    def test_add_preselects_opportunity(self):
        response = self.client.get(self.opportunity.get_absolute_url())

        add_url = reverse("documents:create", args=[self.account.pk])
        self.assertContains(response, f'href="{add_url}?opportunity={self.opportunity.pk}&amp;next=')


class OpportunityDeleteDocumentsTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.opportunity = make_opportunity(self.account, "Upsell")
        self.document = make_uploaded_document(self.account, "Proposal.pdf", opportunity=self.opportunity)
        self.url = reverse("opportunities:delete", args=[self.opportunity.pk])
        self.login(self.owner)

    def test_confirmation_offers_choice(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Its 1 document")
        self.assertContains(response, 'name="delete_documents" value="0" id="keep-documents" checked')

    def test_no_choice_without_documents(self):
        opportunity = make_opportunity(self.account, "Renewal")

        response = self.client.get(reverse("opportunities:delete", args=[opportunity.pk]))

        self.assertNotContains(response, "delete_documents")

    def test_delete_keeps_documents_on_account(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url)

        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())
        self.document.refresh_from_db()
        # The document keeps its link, so that restoring the opportunity brings it back with it.
        self.assertEqual(self.document.opportunity_id, self.opportunity.pk)
        self.assertEqual(self.document.account, self.account)
        self.assertEqual(len(self.stored_files()), 1)
        tab = self.client.get(reverse("accounts:documents", args=[self.account.pk]))
        self.assertContains(tab, "Proposal.pdf")
        self.assertContains(tab, 'Upsell <span class="badge text-bg-secondary">deleted</span>')
        self.assertNotContains(tab, self.opportunity.get_absolute_url())

    def test_restore_brings_kept_documents_back(self):
        self.client.post(self.url)
        self.login(self.admin)

        self.client.post(reverse("history:restore", args=["opportunity", self.opportunity.pk]))

        response = self.client.get(self.opportunity.get_absolute_url())
        titles = [document.title for document in response.context["documents_card"]["documents"]]
        self.assertEqual(titles, ["Proposal.pdf"])

    def test_document_of_deleted_opportunity_returns_to_tab(self):
        self.client.post(self.url)

        response = self.client.post(reverse("documents:delete", args=[self.document.pk]))

        self.assertRedirects(response, reverse("accounts:documents", args=[self.account.pk]))
        self.assertFalse(Document.objects.exists())

    def test_delete_can_delete_documents(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {"delete_documents": "1"}, follow=True)

        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())
        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.stored_files(), [])
        self.assertContains(response, "Opportunity Upsell deleted.")
        self.assertContains(response, "1 document deleted with it, for good.")
