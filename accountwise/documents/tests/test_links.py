from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from accountwise.documents.links import recognise_provider, validate_link
from accountwise.documents.models import LinkProvider


class RecogniseProviderTests(SimpleTestCase):
    def test_known_hosts(self):
        cases = {
            "https://drive.google.com/file/d/1AbC/view": LinkProvider.GOOGLE_DRIVE,
            "https://docs.google.com/document/d/1AbC/edit": LinkProvider.GOOGLE_DRIVE,
            "https://DOCS.Google.com/spreadsheets/d/1AbC": LinkProvider.GOOGLE_DRIVE,
            "https://contoso.sharepoint.com/sites/sales/Shared%20Documents/offer.docx": LinkProvider.SHAREPOINT,
            "https://contoso-my.sharepoint.com/personal/kim/Documents/offer.docx": LinkProvider.ONEDRIVE,
            "https://onedrive.live.com/?id=ABC": LinkProvider.ONEDRIVE,
            "https://1drv.ms/w/s!AbC": LinkProvider.ONEDRIVE,
        }
        for url, provider in cases.items():
            with self.subTest(url=url):
                self.assertEqual(recognise_provider(url), provider)

    def test_lookalike_hosts_are_other(self):
        for url in [
            "https://evil-sharepoint.com/x",
            "https://sharepoint.com/x",
            "https://contoso.sharepoint.com.example.net/x",
            "https://drive.google.com.example.net/x",
            "https://notdrive.google.com/x",
            "https://a.b.sharepoint.com/x",
            "https://drive.google.com@example.net/x",
        ]:
            with self.subTest(url=url):
                self.assertEqual(recognise_provider(url), LinkProvider.OTHER)


class ValidateLinkTests(SimpleTestCase):
    def test_https_known_provider_accepted(self):
        provider = validate_link("https://drive.google.com/file/d/1AbC/view", known_providers_only=True)

        self.assertEqual(provider, LinkProvider.GOOGLE_DRIVE)

    def test_http_rejected(self):
        with self.assertRaisesMessage(ValidationError, "Enter a link that starts with https://."):
            validate_link("http://drive.google.com/file/d/1AbC/view", known_providers_only=False)

    def test_other_schemes_rejected(self):
        for url in ("javascript:alert(1)", "ftp://files.example.com/a.pdf", "file:///etc/passwd", "drive.google.com/x"):
            with self.subTest(url=url):
                with self.assertRaisesMessage(ValidationError, "starts with https://"):
                    validate_link(url, known_providers_only=False)

    def test_incomplete_address_rejected(self):
        with self.assertRaisesMessage(ValidationError, "Enter a complete web address"):
            validate_link("https://", known_providers_only=False)

    def test_user_info_rejected(self):
        with self.assertRaisesMessage(ValidationError, "Remove the user name or password"):
            validate_link("https://kim:secret@contoso.sharepoint.com/x", known_providers_only=False)

    def test_unknown_host_allowed_as_other(self):
        provider = validate_link("https://wiki.example.com/offer", known_providers_only=False)

        self.assertEqual(provider, LinkProvider.OTHER)

    def test_unknown_host_refused_when_limited(self):
        with self.assertRaisesMessage(
            ValidationError,
            "Your administrator allows links to Google Drive, SharePoint or OneDrive only, "
            "and wiki.example.com is none of them.",
        ):
            validate_link("https://wiki.example.com/offer", known_providers_only=True)

    def test_overlong_link_rejected(self):
        with self.assertRaisesMessage(ValidationError, "links can be at most 2000"):
            validate_link("https://drive.google.com/" + "a" * 2000, known_providers_only=False)
