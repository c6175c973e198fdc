from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, StorageHandler
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accountwise.documents.filetypes import type_for

# Alias in settings.STORAGES of the storage that keeps uploaded files.
STORAGE_ALIAS = "documents"


def build_document_storage() -> Storage:
    """Create the storage of uploaded files from settings.STORAGES: the data directory, or S3 when configured."""
    # Django's `storages[alias]` would read and cache every STORAGES entry while
    # models load, before conftest.py replaces the static files storage for tests.
    return StorageHandler().create_storage(settings.STORAGES[STORAGE_ALIAS])


def document_storage() -> Storage:
    """Return the storage that Document.file reads and writes."""
    return Document._meta.get_field("file").storage


class DocumentKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    LINK = "link", "Link"


class LinkProvider(models.TextChoices):
    GOOGLE_DRIVE = "google_drive", "Google Drive"
    SHAREPOINT = "sharepoint", "SharePoint"
    ONEDRIVE = "onedrive", "OneDrive"
    OTHER = "other", "Web link"


# Bootstrap Icons class shown beside each provider's name.
PROVIDER_ICONS = {
    LinkProvider.GOOGLE_DRIVE: "bi-google",
    LinkProvider.SHAREPOINT: "bi-microsoft",
    LinkProvider.ONEDRIVE: "bi-cloud-fill",
    LinkProvider.OTHER: "bi-link-45deg",
}


class DocumentQuerySet(models.QuerySet):
    def for_listing(self):
        """Fetch what a document list shows, so a list costs one query whatever its length."""
        return self.select_related("contract", "opportunity", "uploaded_by")

    def uploads(self):
        return self.filter(kind=DocumentKind.UPLOAD)

    def totals(self) -> dict:
        """Return the number of documents, files and links of the selection in one query."""
        return self.order_by().aggregate(
            count=models.Count("pk"),
            files=models.Count("pk", filter=Q(kind=DocumentKind.UPLOAD)),
            links=models.Count("pk", filter=Q(kind=DocumentKind.LINK)),
        )


class Document(models.Model):
    """A file uploaded from the user's device, or a link to a Drive, SharePoint or OneDrive document.

    It always belongs to an account and at most to one of that account's
    contracts or opportunities; it then shows there and on the account.
    """

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="documents"
    )
    # Deleting or archiving a contract or opportunity keeps its documents on the account.
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    # Generated name in the documents storage (never the user's file name); empty for links.
    file = models.FileField(storage=build_document_storage, max_length=255, blank=True)
    # The user's file name, cleaned for display and for the download's file name.
    original_name = models.CharField(max_length=255, blank=True)
    # Size of the uploaded file in bytes.
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # Media type found from the file's content, sent with the download.
    content_type = models.CharField(max_length=150, blank=True)
    url = models.URLField("link", max_length=2000, blank=True)
    provider = models.CharField(max_length=20, choices=LinkProvider.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A check constraint cannot see other tables, so clean() checks
            # that the contract or opportunity is on the same account.
            models.CheckConstraint(
                condition=Q(contract__isnull=True) | Q(opportunity__isnull=True),
                name="document_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=DocumentKind.UPLOAD, url="", provider="", size__isnull=False)
                    & ~Q(file="")
                    & ~Q(original_name="")
                )
                | (
                    Q(kind=DocumentKind.LINK, file="", original_name="", size__isnull=True)
                    & ~Q(url="")
                    & Q(provider__in=LinkProvider.values)
                ),
                name="document_fields_match_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"]),
            models.Index(fields=["file"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Return where the document opens: the download view, or the linked page."""
        if self.is_link:
            return self.url
        return reverse("documents:download", args=[self.pk])

    def clean(self):
        if self.contract_id and self.opportunity_id:
            raise ValidationError("A document belongs to a contract or an opportunity, not both.")
        if self.contract_id and self.contract.account_id != self.account_id:
            raise ValidationError({"contract": "Choose a contract of this document's account."})
        if self.opportunity_id and self.opportunity.account_id != self.account_id:
            raise ValidationError({"opportunity": "Choose an opportunity of this document's account."})

    @property
    def is_link(self) -> bool:
        return self.kind == DocumentKind.LINK

    @property
    def belongs_to(self):
        """Return the contract or opportunity the document is attached to, or None for the account."""
        return self.contract or self.opportunity

    @property
    def icon(self) -> str:
        """Return the Bootstrap Icons class for the provider of a link or the type of a file."""
        if self.is_link:
            return PROVIDER_ICONS.get(self.provider, "bi-link-45deg")
        file_type = type_for(self.content_type)
        return file_type.icon if file_type else "bi-file-earmark"

    @property
    def type_label(self) -> str:
        """Return what the document is, for lists: the link's provider or the file's type."""
        if self.is_link:
            return self.get_provider_display()
        file_type = type_for(self.content_type)
        if file_type is None:
            return "File"
        return file_type.label[0].upper() + file_type.label[1:]

    @property
    def link_host(self) -> str:
        if not self.is_link:
            return ""
        return urlsplit(self.url).hostname or ""
