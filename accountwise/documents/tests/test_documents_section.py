from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.test import make_contract, make_opportunity


class DocumentsSectionTests(DocumentTestCase):
    """The documents section on the account's Details tab."""

    def setUp(self):
        super().setUp()
        self.url = reverse("accounts:detail", args=[self.account.pk])
        self.login(self.owner)

    def test_lists_contract_and_opportunity_documents(self):
        contract = make_contract(self.account, "Support 2027")
        opportunity = make_opportunity(self.account, "Upsell")
        make_uploaded_document(self.account, "Signed.pdf", contract=contract)
        make_link_document(self.account, title="Proposal deck", opportunity=opportunity)
        make_uploaded_document(self.account, "Account plan.pdf")

        response = self.client.get(self.url)

        section = response.context["documents_section"]
        self.assertEqual(
            [document.title for document in section["documents"]], ["Account plan.pdf", "Proposal deck", "Signed.pdf"]
        )
        self.assertContains(response, 'id="documents-section"')
        self.assertContains(
            response, f'<a href="{contract.get_absolute_url()}#documents">Support 2027</a>', html=True
        )
        self.assertContains(
            response, f'<a href="{opportunity.get_absolute_url()}#documents">Upsell</a>', html=True
        )

    def test_collapsed_until_opened(self):
        make_uploaded_document(self.account, "Offer.pdf")

        closed = self.client.get(self.url)
        opened = self.client.get(f"{self.url}?documents=open")

        self.assertFalse(closed.context["documents_section"]["expanded"])
        self.assertContains(closed, '<div class="collapse" id="documents-section-body">')
        self.assertTrue(opened.context["documents_section"]["expanded"])
        self.assertContains(opened, '<div class="collapse show" id="documents-section-body">')

    def test_header_shows_counts(self):
        make_uploaded_document(self.account, "Offer.pdf")
        make_link_document(self.account)

        response = self.client.get(self.url)

        self.assertContains(response, "<strong>2</strong> documents", html=True)
        self.assertContains(response, "<strong>1</strong> file", html=True)
        self.assertContains(response, "<strong>1</strong> link", html=True)

    def test_add_returns_to_open_section(self):
        response = self.client.get(self.url)

        add_url = reverse("documents:create", args=[self.account.pk])
        next_url = quote(f"{self.url}?documents=open#documents-section", safe="")
        self.assertContains(response, f'href="{add_url}?next={next_url}"')

    def test_outsider_sees_no_add(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, 'id="documents-section"')
        self.assertNotContains(response, reverse("documents:create", args=[self.account.pk]))

    def test_links_documents_tab(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'href="{reverse("accounts:documents", args=[self.account.pk])}">Documents tab</a>')

    def test_queries_independent_of_documents(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        make_uploaded_document(self.account, contract=make_contract(self.account))
        make_link_document(self.account, opportunity=make_opportunity(self.account))

        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for number in range(6):
            make_uploaded_document(self.account, f"Offer {number}.pdf", contract=make_contract(self.account))
            make_link_document(self.account, opportunity=make_opportunity(self.account), user=self.teammate)
        # Contracts and opportunities above are listed by their own sections, which pin their own counts.
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url)

        self.assertEqual(len(large), len(small))
        self.assertEqual(len(response.context["documents_section"]["documents"]), 14)
