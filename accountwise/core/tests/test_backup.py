import io
import json
import shutil
import tarfile
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from accountwise.accounts.models import Account
from accountwise.documents.models import Document
from accountwise.documents.tests.support import PDF, TEXT, make_link_document, make_uploaded_document
from accountwise.opportunities.defaults import ensure_default_stages
from accountwise.test import make_account, make_contract, make_opportunity, make_user

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="accountwise backup covers SQLite only")


def _table_rows() -> dict[str, list[tuple]]:
    """Return every row of every table, in a stable order, to compare two database states."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _file_contents(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def _rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy a backup archive, passing each member's name and bytes through change first."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            content = change(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))


@sqlite_only
class BackupRestoreTests(TransactionTestCase):
    def setUp(self):
        work = Path(tempfile.mkdtemp(prefix="aw-backup-test-"))
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        self.media_root = work / "media"
        media_settings = override_settings(MEDIA_ROOT=str(self.media_root))
        media_settings.enable()
        self.addCleanup(media_settings.disable)
        self.archive = work / "backup.tar.gz"

        ensure_default_stages()
        owner = make_user("bob")
        self.account = make_account("Acme Corporation", owner=owner, team=[make_user("charlie")])
        make_contract(self.account, "Support 2027", value=Decimal("12500.50"))
        make_opportunity(self.account, "Fleet renewal", value=Decimal("40000.00"))
        make_uploaded_document(self.account, "Signed contract.pdf", PDF)
        make_uploaded_document(self.account, "Meeting notes.txt", TEXT)
        make_link_document(self.account)

    def test_backup_then_restore_identical(self):
        rows_before = _table_rows()
        files_before = _file_contents(self.media_root)

        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(self.media_root)
        self.assertFalse(Account.objects.exists())
        output = io.StringIO()
        call_command("restore", str(self.archive), stdout=output)

        self.assertEqual(_table_rows(), rows_before)
        self.assertEqual(_file_contents(self.media_root), files_before)
        self.assertEqual(len(files_before), 2)
        self.assertIn("2 uploaded files", output.getvalue())
        document = Document.objects.get(original_name="Signed contract.pdf")
        with document.file.open("rb") as stored:
            self.assertEqual(stored.read(), PDF)

    def test_manifest_lists_counts_and_files(self):
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())

        with tarfile.open(self.archive, "r:gz") as archive:
            manifest = json.loads(archive.extractfile("manifest.json").read())
            names = archive.getnames()
        self.assertEqual(manifest["format"], 1)
        self.assertEqual(manifest["database"]["row_counts"][Account._meta.db_table], 1)
        self.assertEqual(manifest["database"]["row_counts"][Document._meta.db_table], 3)
        self.assertEqual(len(manifest["media"]["files"]), 2)
        self.assertIn("database.sqlite3", names)
        for name in manifest["media"]["files"]:
            self.assertIn("media/" + name, names)

    def test_restore_without_force_rejects_data(self):
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())
        make_account("Created after the backup")

        with self.assertRaisesMessage(CommandError, "run the restore again with --force"):
            call_command("restore", str(self.archive), stdout=io.StringIO())

        self.assertTrue(Account.objects.filter(name="Created after the backup").exists())

    def test_restore_force_replaces_later_changes(self):
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())
        make_account("Created after the backup")
        (self.media_root / "added-after-backup.txt").write_bytes(b"later")

        call_command("restore", str(self.archive), "--force", stdout=io.StringIO())

        self.assertEqual(list(Account.objects.values_list("name", flat=True)), ["Acme Corporation"])
        self.assertFalse((self.media_root / "added-after-backup.txt").exists())

    def test_restore_rejects_damaged_file(self):
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())
        damaged = self.archive.with_name("damaged.tar.gz")
        _rewrite_archive(
            self.archive, damaged, lambda name, content: b"changed" if name.endswith(".txt") else content
        )
        make_account("Created after the backup")
        rows_before = _table_rows()

        with self.assertRaisesMessage(CommandError, "is damaged"):
            call_command("restore", str(damaged), "--force", stdout=io.StringIO())

        self.assertEqual(_table_rows(), rows_before)

    def test_restore_rejects_other_file(self):
        other = self.archive.with_name("notes.tar.gz")
        other.write_text("not an archive")

        with self.assertRaisesMessage(CommandError, "is not an Accountwise backup archive"):
            call_command("restore", str(other), "--force", stdout=io.StringIO())

    def test_restore_rejects_missing_archive(self):
        with self.assertRaisesMessage(CommandError, "not found"):
            call_command("restore", str(self.archive), stdout=io.StringIO())

    def test_restore_rejects_newer_format(self):
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())
        newer = self.archive.with_name("newer.tar.gz")

        def bump_format(name, content):
            if name != "manifest.json":
                return content
            return json.dumps({**json.loads(content), "format": 99}).encode()

        _rewrite_archive(self.archive, newer, bump_format)

        with self.assertRaisesMessage(CommandError, "has backup format 99"):
            call_command("restore", str(newer), "--force", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor == "sqlite", reason="checks the message on PostgreSQL")
@pytest.mark.django_db
def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", "--output", str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())
