import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, StorageHandler
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accountwise.transfer.mapping import ACCOUNTS, CONTACTS, CONTRACTS, OPPORTUNITIES

# Alias in settings.STORAGES of the storage that keeps uploaded import files and rejects files.
STORAGE_ALIAS = "imports"


def build_import_storage() -> Storage:
    """Create the storage of import files from settings.STORAGES."""
    # Django's `storages[alias]` would read and cache every STORAGES entry while
    # models load, before conftest.py replaces the static files storage for tests.
    return StorageHandler().create_storage(settings.STORAGES[STORAGE_ALIAS])


def generated_file_name(run: "ImportRun", filename: str) -> str:
    # A generated name: the user's file name is kept in file_name and never reaches the storage.
    suffix = Path(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in {'.csv', '.xlsx', '.xlsm', '.json', '.txt'} else ''}"


class ImportEntity(models.TextChoices):
    ACCOUNTS = ACCOUNTS, "Accounts"
    CONTACTS = CONTACTS, "Contacts"
    CONTRACTS = CONTRACTS, "Contracts"
    OPPORTUNITIES = OPPORTUNITIES, "Opportunities"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "Not started"
    QUEUED = "queued", "Starting"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    # All or nothing, and a row was invalid: nothing was written.
    INVALID = "invalid", "Nothing imported"
    FAILED = "failed", "Failed"


FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED)


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see every import; members see their own."""
        if getattr(user, "is_administrator", False):
            return self
        return self.filter(created_by=user)


class ImportRun(models.Model):
    """One upload through the import wizard: the file, the choices made, and the outcome."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    entity = models.CharField(max_length=20, choices=ImportEntity.choices)
    file = models.FileField(storage=build_import_storage, upload_to=generated_file_name, max_length=200)
    # The name of the file on the user's computer, shown in the history.
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    # Accounts.json of a Salesforce data-tree export, which resolves @AccountRefN references.
    references_file = models.FileField(storage=build_import_storage, upload_to=generated_file_name, max_length=200, blank=True)
    references_file_name = models.CharField(max_length=255, blank=True)
    # sheet, encoding, delimiter, date_format, create_accounts, create_owners, skip_invalid,
    # stage_map (file stage name -> stage name) and create_stages.
    options = models.JSONField(default=dict, blank=True)
    # Every column header of the file -> the field it feeds, or None to ignore it.
    mapping = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT)
    row_count = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # "checking", "importing" or "saving" while the import runs.
    phase = models.CharField(max_length=20, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    # Totals by stage kind, created owners, stages and accounts, and the first row errors.
    summary = models.JSONField(default=dict, blank=True)
    rejects_file = models.FileField(storage=build_import_storage, upload_to=generated_file_name, max_length=200, blank=True)
    # Why the import failed, when it did.
    error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    # Also moves whenever progress is written, which shows whether a running import still works.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(entity__in=ImportEntity.values), name="importrun_entity_valid"),
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="importrun_status_valid"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_entity_display()} from {self.file_name}"

    def get_absolute_url(self) -> str:
        # The result page sends the person who uploaded a draft on to the wizard's column step.
        return reverse("transfer:import-result", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def skip_invalid(self) -> bool:
        return bool(self.options.get("skip_invalid"))
