from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.core.models import Organisation
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.test import make_account, make_contract, make_opportunity


class AccountDocumentsTabTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("accounts:documents", args=[self.account.pk])
        self.add_url = reverse("documents:create", args=[self.account.pk])

    def test_everyone_may_view(self):
        make_uploaded_document(self.account, "Offer.pdf")
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Offer.pdf")

    def test_add_offered_to_team_and_admin(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, f"{self.add_url}?next=")

    def test_outsider_sees_no_changes(self):
        document = make_uploaded_document(self.account, "Offer.pdf")
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, self.add_url)
        self.assertNotContains(response, reverse("documents:delete", args=[document.pk]))
        self.assertContains(response, reverse("documents:download", args=[document.pk]))

    def test_archived_account_read_only(self):
        document = make_uploaded_document(self.account, "Offer.pdf")
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertNotContains(response, self.add_url)
        self.assertNotContains(response, reverse("documents:delete", args=[document.pk]))
        self.assertContains(response, reverse("documents:download", args=[document.pk]))

    def test_lists_documents_with_owner(self):
        contract = make_contract(self.account, "Support 2027")
        opportunity = make_opportunity(self.account, "Upsell")
        make_uploaded_document(self.account, "Account plan.pdf")
        make_uploaded_document(self.account, "Signed.pdf", contract=contract)
        make_link_document(self.account, title="Proposal deck", opportunity=opportunity)
        self.login(self.owner)

        response = self.client.get(self.url)

        titles = [document.title for document in response.context["documents_list"]["documents"]]
        self.assertEqual(titles, ["Proposal deck", "Signed.pdf", "Account plan.pdf"])
        self.assertContains(
            response, f'<a href="{contract.get_absolute_url()}#documents">Support 2027</a>', html=True
        )
        self.assertContains(
            response, f'<a href="{opportunity.get_absolute_url()}#documents">Upsell</a>', html=True
        )
        self.assertContains(response, '<span class="text-body-secondary">Account</span>', html=True)

    def test_other_accounts_documents_hidden(self):
        make_uploaded_document(make_account("Globex", owner=self.owner), "Globex offer.pdf")
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertNotContains(response, "Globex offer.pdf")
        self.assertContains(response, "No documents yet.")

    def test_link_shows_provider(self):
        make_link_document(self.account, "https://contoso-my.sharepoint.com/personal/kim/offer.docx", title="Offer")
        make_link_document(self.account, "https://wiki.example.com/terms", title="Terms")
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, '<i class="bi bi-cloud-fill fs-5 text-body-secondary" title="OneDrive">')
        self.assertContains(response, '<td class="text-nowrap">OneDrive</td>', html=True)
        self.assertContains(response, '<i class="bi bi-link-45deg fs-5 text-body-secondary" title="Web link">')
        self.assertContains(response, '<td class="text-nowrap">Web link</td>', html=True)
        self.assertContains(response, 'href="https://wiki.example.com/terms" target="_blank" rel="noopener noreferrer"')

    def test_upload_shows_type_and_size(self):
        make_uploaded_document(self.account, "Offer.pdf", title="Signed offer")
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "PDF document")
        self.assertContains(response, "77\xa0bytes")
        self.assertContains(response, '<div class="small text-body-secondary">Offer.pdf</div>', html=True)

    def test_summary_counts(self):
        make_uploaded_document(self.account, "Offer.pdf")
        make_uploaded_document(self.account, "Terms.pdf")
        make_link_document(self.account)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.context["documents_list"]["totals"], {"count": 3, "files": 2, "links": 1})
        self.assertContains(response, "<strong>3</strong> documents", html=True)

    def test_empty_state(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "No documents yet.")
        self.assertContains(response, 'class="card-body aw-empty"')

    def test_queries_independent_of_data(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        contract = make_contract(self.account)
        opportunity = make_opportunity(self.account)
        make_uploaded_document(self.account, contract=contract)
        make_link_document(self.account, opportunity=opportunity)
        self.login(self.owner)

        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for number in range(8):
            contract = make_contract(self.account)
            opportunity = make_opportunity(self.account)
            make_uploaded_document(self.account, f"Offer {number}.pdf", contract=contract, user=self.teammate)
            make_link_document(self.account, opportunity=opportunity, user=self.admin)
            make_uploaded_document(self.account, f"Note {number}.pdf")

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["documents_list"]["documents"]), 26)
