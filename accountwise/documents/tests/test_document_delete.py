from django.db import transaction
from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.documents.actions import delete_document
from accountwise.documents.models import Document, DocumentKind
from accountwise.documents.tests.support import DocumentTestCase, make_link_document, make_uploaded_document
from accountwise.test import make_contract


class DocumentDeleteTests(DocumentTestCase):
    def setUp(self):
        super().setUp()
        self.contract = make_contract(self.account, "Support 2027")
        self.document = make_uploaded_document(self.account, "Offer.pdf", contract=self.contract)
        self.stored = self.media_root / self.document.file.name
        self.url = reverse("documents:delete", args=[self.document.pk])

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url)

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertTrue(Document.objects.filter(pk=self.document.pk).exists())
        self.assertTrue(self.stored.exists())

    def test_team_and_admin_may_delete(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                document = make_uploaded_document(self.account, f"{user.username}.pdf")
                self.login(user)

                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(reverse("documents:delete", args=[document.pk]))

                self.assertEqual(response.status_code, 302)
                self.assertFalse(Document.objects.filter(pk=document.pk).exists())

    def test_get_asks_for_confirmation(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Delete this document from Acme Corporation?")
        self.assertContains(response, "This cannot be undone.")
        self.assertContains(response, "contract Support 2027")
        self.assertTrue(Document.objects.filter(pk=self.document.pk).exists())

    def test_link_confirmation_says_target_stays(self):
        link = make_link_document(self.account)
        self.login(self.owner)

        response = self.client.get(reverse("documents:delete", args=[link.pk]))

        self.assertContains(response, "The linked document itself stays where it is.")

    def test_delete_removes_row_then_file(self):
        self.login(self.owner)

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(self.url)
            self.assertFalse(Document.objects.filter(pk=self.document.pk).exists())
            # The file waits for the commit, so a rolled back deletion still has it.
            self.assertTrue(self.stored.exists())
        for callback in callbacks:
            callback()

        self.assertFalse(self.stored.exists())
        self.assertRedirects(
            response, f"{self.contract.get_absolute_url()}#documents", fetch_redirect_response=False
        )

    def test_rolled_back_delete_keeps_file(self):
        document_pk = self.document.pk

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    delete_document(self.document, self.owner)
                    raise RuntimeError("Deletion rolled back")
            except RuntimeError:
                pass

        self.assertTrue(Document.objects.filter(pk=document_pk).exists())
        self.assertTrue(self.stored.exists())

    def test_file_kept_while_referenced(self):
        sharing = Document.objects.create(
            account=self.account, kind=DocumentKind.UPLOAD, title="Copy", file=self.document.file.name,
            original_name="Offer.pdf", size=self.document.size, content_type="application/pdf",
        )

        with self.captureOnCommitCallbacks(execute=True):
            delete_document(self.document, self.owner)

        self.assertTrue(self.stored.exists())
        with self.captureOnCommitCallbacks(execute=True):
            delete_document(sharing, self.owner)
        self.assertFalse(self.stored.exists())

    def test_redirects_to_next(self):
        self.login(self.owner)
        next_url = reverse("accounts:documents", args=[self.account.pk])

        response = self.client.post(self.url, {"next": next_url})

        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_shows_message(self):
        self.login(self.owner)

        response = self.client.post(self.url, follow=True)

        self.assertContains(response, "Document Offer.pdf deleted.")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url)

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(Document.objects.filter(pk=self.document.pk).exists())
        self.assertTrue(self.stored.exists())

    def test_account_deletion_removes_files(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.account.delete()

        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.stored_files(), [])
