import re

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.core.models import Organisation
from accountwise.documents.models import Document, DocumentKind, LinkProvider
from accountwise.documents.tests import support
from accountwise.documents.tests.support import DocumentTestCase
from accountwise.test import make_account, make_contract, make_opportunity

HTMX = {"HTTP_HX_REQUEST": "true"}
STORED_NAME = re.compile(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|txt|docx)")


class DocumentCreateTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.contract = make_contract(self.account, "Support 2027")
        self.url = reverse("documents:create", args=[self.account.pk])

    def _post_upload(self, name="Signed.pdf", content=support.PDF, **data):
        data = {"kind": "upload", "belongs_to": "account", "title": "", **data}
        return self.client.post(self.url, {**data, "file": support.upload(name, content)})

    def _post_link(self, url="https://drive.google.com/file/d/1AbC/view", **data):
        data = {"kind": "link", "belongs_to": "account", "title": "Proposal", "url": url, **data}
        return self.client.post(self.url, data)

    def _field_errors(self, response, field):
        return response.context["form"].errors.get(field, [])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self._post_upload()

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_team_and_admin_may_upload(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self._post_upload(f"{user.username}.pdf")

                self.assertEqual(response.status_code, 302)
                document = Document.objects.get(original_name=f"{user.username}.pdf")
                self.assertEqual(document.uploaded_by, user)

    def test_missing_account_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("documents:create", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self._post_upload()

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(Document.objects.exists())
        self.assertEqual(
            [str(message) for message in get_messages(response.wsgi_request)],
            ["Acme Corporation is archived, so its documents cannot be changed. Restore it first."],
        )

    def test_upload_stores_file_and_details(self):
        self.login(self.owner)

        response = self._post_upload("Signed contract.pdf", belongs_to=f"contract-{self.contract.pk}")

        document = Document.objects.get()
        self.assertRedirects(
            response, f"{self.contract.get_absolute_url()}#documents", fetch_redirect_response=False
        )
        self.assertEqual(document.kind, DocumentKind.UPLOAD)
        self.assertEqual(document.account, self.account)
        self.assertEqual(document.contract, self.contract)
        self.assertIsNone(document.opportunity)
        self.assertEqual(document.title, "Signed contract.pdf")
        self.assertEqual(document.original_name, "Signed contract.pdf")
        self.assertEqual(document.size, len(support.PDF))
        self.assertEqual(document.content_type, "application/pdf")
        self.assertEqual(self.stored_files(), [self.media_root / document.file.name])
        self.assertEqual((self.media_root / document.file.name).read_bytes(), support.PDF)

    def test_stored_name_is_generated(self):
        self.login(self.owner)

        self._post_upload("../../Offer for Acme.pdf")

        document = Document.objects.get()
        self.assertRegex(document.file.name, STORED_NAME)
        self.assertNotIn("Offer", document.file.name)

    def test_title_overrides_file_name(self):
        self.login(self.owner)

        self._post_upload("scan_0042.pdf", title="  Signed order form  ")

        document = Document.objects.get()
        self.assertEqual(document.title, "Signed order form")
        self.assertEqual(document.original_name, "scan_0042.pdf")

    def test_path_separators_removed_from_name(self):
        self.login(self.owner)

        self._post_upload("C:\\Users\\kim\\Desktop\\Offer.pdf")

        self.assertEqual(Document.objects.get().original_name, "Offer.pdf")

    def test_unicode_name_kept(self):
        self.login(self.owner)

        self._post_upload("Vertrag Mu\u0308ller – 契約.pdf")

        self.assertEqual(Document.objects.get().original_name, "Vertrag M\u00fcller – 契約.pdf")

    def test_duplicate_names_stored_apart(self):
        self.login(self.owner)

        self._post_upload("Offer.pdf")
        self._post_upload("Offer.pdf", content=support.PDF + b"% second version\n")

        first, second = Document.objects.order_by("pk")
        self.assertEqual(first.original_name, second.original_name)
        self.assertNotEqual(first.file.name, second.file.name)
        self.assertEqual(len(self.stored_files()), 2)
        self.assertEqual(first.file.open("rb").read(), support.PDF)

    def test_link_saved_with_provider(self):
        self.login(self.owner)

        response = self._post_link("https://contoso.sharepoint.com/sites/sales/offer.docx", title="Offer")

        document = Document.objects.get()
        self.assertRedirects(
            response, reverse("accounts:documents", args=[self.account.pk]), fetch_redirect_response=False
        )
        self.assertEqual(document.kind, DocumentKind.LINK)
        self.assertEqual(document.provider, LinkProvider.SHAREPOINT)
        self.assertEqual(document.url, "https://contoso.sharepoint.com/sites/sales/offer.docx")
        self.assertEqual(document.file.name, "")
        self.assertEqual(self.stored_files(), [])

    def test_link_to_opportunity(self):
        opportunity = make_opportunity(self.account, "Upsell")
        self.login(self.owner)

        self._post_link(belongs_to=f"opportunity-{opportunity.pk}")

        document = Document.objects.get()
        self.assertEqual(document.opportunity, opportunity)
        self.assertIsNone(document.contract)

    def test_unknown_host_gets_generic_label(self):
        self.login(self.owner)

        self._post_link("https://wiki.example.com/offer")

        document = Document.objects.get()
        self.assertEqual(document.provider, LinkProvider.OTHER)
        self.assertEqual(document.type_label, "Web link")

    def test_unknown_host_refused_when_limited(self):
        organisation = Organisation.get()
        organisation.document_links_known_providers_only = True
        organisation.save()
        self.login(self.owner)

        response = self._post_link("https://wiki.example.com/offer")

        self.assertFalse(Document.objects.exists())
        self.assertIn("allows links to Google Drive, SharePoint or OneDrive only", self._field_errors(response, "url")[0])
        self.assertContains(response, "The share link from Google Drive, SharePoint or OneDrive.")

    def test_http_link_rejected_keeps_input(self):
        self.login(self.owner)

        response = self._post_link(
            "http://drive.google.com/file/d/1AbC", title="Price list", belongs_to=f"contract-{self.contract.pk}"
        )

        self.assertFalse(Document.objects.exists())
        self.assertIn("starts with https://", self._field_errors(response, "url")[0])
        self.assertContains(response, 'value="http://drive.google.com/file/d/1AbC"')
        self.assertContains(response, 'value="Price list"')
        self.assertContains(response, f'<option value="contract-{self.contract.pk}" selected>')

    def test_link_needs_title(self):
        self.login(self.owner)

        response = self._post_link(title="")

        self.assertEqual(self._field_errors(response, "title"), ["Enter a title for the link, such as “Signed contract 2027”."])

    @override_settings(DOCUMENT_MAX_UPLOAD_MB=1)
    def test_size_limit_message_keeps_input(self):
        self.login(self.owner)

        response = self._post_upload(
            "Scan.pdf", content=support.PDF + bytes(1024 * 1024), title="Signed scan",
            belongs_to=f"contract-{self.contract.pk}",
        )

        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.stored_files(), [])
        error = self._field_errors(response, "file")[0]
        self.assertIn("files can be at most 1.0\xa0MB", error)
        self.assertContains(response, "at most 1 MB.")
        self.assertContains(response, 'value="Signed scan"')
        self.assertContains(response, f'<option value="contract-{self.contract.pk}" selected>')

    def test_renamed_program_rejected(self):
        self.login(self.owner)

        response = self._post_upload("invoice.pdf", content=support.WINDOWS_PROGRAM, title="Invoice")

        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.stored_files(), [])
        self.assertIn("contains a Windows program", self._field_errors(response, "file")[0])
        self.assertContains(response, 'value="Invoice"')

    def test_pdf_renamed_docx_rejected(self):
        self.login(self.owner)

        response = self._post_upload("terms.docx", content=support.PDF)

        self.assertFalse(Document.objects.exists())
        self.assertIn("contains a PDF document, but its name ends in .docx", self._field_errors(response, "file")[0])

    def test_html_file_rejected(self):
        self.login(self.owner)

        response = self._post_upload("page.html", content=support.HTML)

        self.assertFalse(Document.objects.exists())
        self.assertIn("(.html), which cannot be uploaded", self._field_errors(response, "file")[0])

    def test_empty_file_rejected(self):
        self.login(self.owner)

        response = self._post_upload("empty.pdf", content=b"")

        self.assertFalse(Document.objects.exists())
        self.assertEqual(self._field_errors(response, "file"), ["The file is empty. Choose a file that has content."])

    def test_missing_file_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, {"kind": "upload", "belongs_to": "account", "title": "Offer"})

        self.assertEqual(self._field_errors(response, "file"), ["Choose a file to upload."])
        self.assertContains(response, 'class="form-control is-invalid"')

    def test_other_accounts_contract_rejected(self):
        other_contract = make_contract(make_account("Globex"), "Globex support")
        self.login(self.owner)

        response = self._post_upload(belongs_to=f"contract-{other_contract.pk}")

        self.assertFalse(Document.objects.exists())
        self.assertIn("Choose the account, or one of its contracts", self._field_errors(response, "belongs_to")[0])

    def test_owner_preselected_from_query(self):
        opportunity = make_opportunity(self.account, "Upsell")
        self.login(self.owner)

        contract_page = self.client.get(f"{self.url}?contract={self.contract.pk}")
        opportunity_page = self.client.get(f"{self.url}?opportunity={opportunity.pk}")

        self.assertContains(contract_page, f'<option value="contract-{self.contract.pk}" selected>')
        self.assertContains(opportunity_page, f'<option value="opportunity-{opportunity.pk}" selected>')

    def test_choices_group_contracts_and_opportunities(self):
        make_contract(self.account, "Old licences", status="archived")
        make_opportunity(self.account, "Upsell")
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Acme Corporation (the account only)")
        self.assertContains(response, '<optgroup label="Contracts">')
        self.assertContains(response, "Old licences (archived)")
        self.assertContains(response, '<optgroup label="Opportunities">')

    def test_next_returns_to_page(self):
        self.login(self.owner)
        next_url = f"{self.account.get_absolute_url()}?documents=open#documents-section"

        response = self._post_upload(next=next_url)

        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_foreign_next_ignored(self):
        self.login(self.owner)

        response = self._post_upload(next="https://example.com/")

        self.assertRedirects(
            response, reverse("accounts:documents", args=[self.account.pk]), fetch_redirect_response=False
        )

    def test_link_tab_full_page(self):
        self.login(self.owner)

        response = self.client.get(f"{self.url}?kind=link&contract={self.contract.pk}")

        self.assertTemplateUsed(response, "documents/document_form.html")
        self.assertContains(response, 'name="url"')
        self.assertNotContains(response, 'type="file"')
        self.assertContains(response, f'href="{self.url}?kind=upload&amp;contract={self.contract.pk}"')

    def test_htmx_tab_switch_keeps_typed_values(self):
        self.login(self.owner)

        response = self.client.get(
            f"{self.url}?kind=link&title=Price+list&belongs_to=contract-{self.contract.pk}", **HTMX
        )

        self.assertTemplateUsed(response, "documents/_document_form.html")
        self.assertTemplateNotUsed(response, "documents/document_form.html")
        self.assertContains(response, 'value="Price list"')
        self.assertContains(response, f'<option value="contract-{self.contract.pk}" selected>')
        self.assertIn("HX-Request", response["Vary"])

    def test_tabs_carry_htmx_attributes(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, f'hx-get="{self.url}?kind=link"')
        self.assertContains(response, 'hx-include="#document-form [name=title], #document-form [name=belongs_to]"')
        self.assertContains(response, 'enctype="multipart/form-data"')
