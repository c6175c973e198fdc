"""Small files in a temporary folder, and shortcuts to import them."""

import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accountwise.test import BaseTestCase
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import map_columns, match_columns
from accountwise.transfer.models import ImportRun
from accountwise.transfer.readers import read_table
from accountwise.transfer.results import ImportOptions, ImportResult


class TemporaryFolderMixin:
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        data_dir = override_settings(DATA_DIR=self.folder / "data")
        data_dir.enable()
        self.addCleanup(data_dir.disable)

    def write_file(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def write_csv(self, text: str, name: str = "import.csv", encoding: str = "utf-8") -> Path:
        return self.write_file(name, text.encode(encoding))

    def write_xlsx(self, sheets: dict[str, list[list]], name: str = "import.xlsx") -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            worksheet = workbook.create_sheet(title)
            for row in rows:
                worksheet.append(row)
        path = self.folder / name
        workbook.save(path)
        return path


class ImportMixin(TemporaryFolderMixin):
    def import_csv(self, entity: str, text: str, overrides=None, **options) -> ImportResult:
        table = read_table(self.write_csv(text))
        mapping = map_columns(table.headers, entity, overrides)
        return run_import(table, mapping, ImportOptions(**options))

    def run_command(self, *args) -> tuple[str, str]:
        """Run `accountwise import ARGS`; return what it printed to stdout and stderr."""
        stdout, stderr = io.StringIO(), io.StringIO()
        call_command("import", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
        return stdout.getvalue(), stderr.getvalue()

    def run_failing_command(self, *args) -> tuple[str, str, str]:
        """Run `accountwise import ARGS`, expecting it to fail; return stdout, stderr and the failure."""
        stdout, stderr = io.StringIO(), io.StringIO()
        with self.assertRaises(CommandError) as failure:
            call_command("import", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
        return stdout.getvalue(), stderr.getvalue(), str(failure.exception)

    def error_texts(self, result: ImportResult) -> list[str]:
        return [str(error) for error in result.errors]


class ImportTestCase(ImportMixin, BaseTestCase):
    """Imports into a database holding the shared cast and their account, Acme Corporation."""


class WizardTestCase(BaseTestCase):
    """Browser-import tests: uploads and rejects files go to a temporary storage folder."""

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        folders = override_settings(DATA_DIR=self.folder / "data", MEDIA_ROOT=self.folder / "media")
        folders.enable()
        self.addCleanup(folders.disable)

    def make_run(self, user, text: str, entity: str = "accounts", name: str = "import.csv", **fields) -> ImportRun:
        """Create an import run as the upload step does, for a CSV file with the given text."""
        data = text.encode()
        table = read_table(io.BytesIO(data), name)
        fields.setdefault("row_count", table.row_count)
        run = ImportRun(created_by=user, entity=entity, file_name=name, file_size=len(data), **fields)
        run.file.save(name, ContentFile(data), save=False)
        run.save()
        return run

    def upload(self, entity: str, name: str, data: bytes, **extra):
        """Post a file to the upload step as the logged-in user; return the response."""
        return self.client.post(
            reverse("transfer:import-start"),
            {"entity": entity, "file": SimpleUploadedFile(name, data), **extra},
        )

    def latest_run(self) -> ImportRun:
        return ImportRun.objects.latest("pk")

    def columns_data(self, run: ImportRun, overrides: dict[str, str] | None = None, **options) -> dict:
        """Return the column step's form data: the pre-filled matches, with some columns changed."""
        table = read_table(run.file.path)
        mapping = match_columns(table.headers, run.entity)
        by_index = {index: name for name, index in mapping.columns.items()}
        data = {f"column_{index}": by_index.get(index, "") for index in range(len(table.headers))}
        for header, field_name in (overrides or {}).items():
            data[f"column_{table.headers.index(header)}"] = field_name
        data.update(options)
        return data
