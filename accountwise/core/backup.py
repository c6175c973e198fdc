"""Back up and restore an SQLite installation: the database and the uploaded files in one archive.

The archive is a gzipped tar file holding manifest.json, database.sqlite3 and the
files under media/. The manifest records the row count of every table and the
SHA-256 of every file, and restore checks both before it changes anything.
PostgreSQL installations use pg_dump instead (see docs/deploy.md).
"""

import datetime
import hashlib
import io
import json
import logging
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection

from accountwise.documents.models import document_storage

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "database.sqlite3"
MEDIA_PREFIX = "media/"
_CHUNK_BYTES = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead. The message gives the reason and the fix."""


@dataclass
class RestoreResult:
    manifest: dict
    files: int


def require_sqlite() -> None:
    if connection.vendor != "sqlite":
        raise BackupError(
            f"accountwise backup and restore work on the SQLite database only, and this one is {connection.vendor}. "
            "Back up PostgreSQL with pg_dump and the documents store with its own tools, as docs/deploy.md describes."
        )


def media_root() -> Path | None:
    """Return the folder of uploaded documents and import files, or None when they are kept in S3."""
    storage = document_storage()
    if not isinstance(storage, FileSystemStorage):
        return None
    return Path(storage.location)


def create_backup(output: Path) -> dict:
    """Write a backup archive of the database and the uploaded files to output; return its manifest."""
    require_sqlite()

    with tempfile.TemporaryDirectory(prefix="aw-backup-") as work:
        database_copy = Path(work) / DATABASE_NAME
        _copy_database(database_copy)
        media = media_root()
        files = _media_files(media) if media else {}
        manifest = {
            "format": FORMAT_VERSION,
            "accountwise_version": _accountwise_version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"sha256": _sha256(database_copy), "row_counts": _row_counts(database_copy)},
            "media": {"included": media is not None, "files": {name: _sha256(path) for name, path in files.items()}},
        }

        # Write next to the target and rename, so that a failed backup never leaves a truncated archive.
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True).encode())
            archive.add(database_copy, arcname=DATABASE_NAME)
            for name, path in sorted(files.items()):
                archive.add(path, arcname=MEDIA_PREFIX + name)
        partial.replace(output)

    logger.info("Backup written to %s: %s files", output, len(files))
    return manifest


def read_manifest(archive_path: Path) -> dict:
    """Return the manifest of a backup archive, after checking that it is one this version can restore."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST_NAME)
            manifest = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"{archive_path} is not an Accountwise backup archive: {error}.") from None

    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive_path} has backup format {manifest.get('format')!r}; this version restores format {FORMAT_VERSION}."
        )
    return manifest


def has_data() -> bool:
    """Return whether the database contains a user, in which case a restore would overwrite work."""
    from django.contrib.auth import get_user_model

    tables = connection.introspection.table_names()
    return get_user_model()._meta.db_table in tables and get_user_model().objects.exists()


def restore_backup(archive_path: Path) -> RestoreResult:
    """Replace the database and the uploaded files with those of a backup archive.

    Everything is extracted and checked against the manifest first, so a damaged
    archive changes nothing.
    """
    require_sqlite()
    manifest = read_manifest(archive_path)
    media = media_root()
    media_files = manifest["media"]["files"]
    if media_files and media is None:
        raise BackupError("The backup contains uploaded files, but DOCUMENT_STORAGE is s3. Restore it with DOCUMENT_STORAGE=local.")

    with tempfile.TemporaryDirectory(prefix="aw-restore-", dir=_work_parent(media)) as work:
        work = Path(work)
        _extract_checked(archive_path, manifest, work)
        database_copy = work / DATABASE_NAME
        if _row_counts(database_copy) != manifest["database"]["row_counts"]:
            raise BackupError(f"The database in {archive_path} does not match its manifest's row counts.")

        _load_database(database_copy)
        if media is not None and manifest["media"]["included"]:
            _replace_folder(work / "media", media)

    logger.info("Backup %s restored: %s files", archive_path, len(media_files))
    return RestoreResult(manifest=manifest, files=len(media_files))


def _copy_database(target: Path) -> None:
    # SQLite's online backup copies a consistent snapshot while the site keeps running.
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _load_database(source_path: Path) -> None:
    # The backup API writes every page of the live database, WAL included, under SQLite's own locks.
    connection.ensure_connection()
    source = sqlite3.connect(source_path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _row_counts(database_path: Path) -> dict[str, int]:
    database = sqlite3.connect(database_path)
    try:
        tables = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        database.close()


def _media_files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}


def _extract_checked(archive_path: Path, manifest: dict, work: Path) -> None:
    """Extract the database and the manifest's files into work, checking each one's SHA-256."""
    expected = {DATABASE_NAME: manifest["database"]["sha256"]}
    expected.update({MEDIA_PREFIX + name: digest for name, digest in manifest["media"]["files"].items()})

    with tarfile.open(archive_path, "r:gz") as archive:
        for name, digest in expected.items():
            target = work / _safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                source = archive.extractfile(name)
            except KeyError:
                source = None
            if source is None:
                raise BackupError(f"{archive_path} is missing {name}, which its manifest lists.")
            with source, target.open("wb") as output:
                shutil.copyfileobj(source, output, _CHUNK_BYTES)
            if _sha256(target) != digest:
                raise BackupError(f"{name} in {archive_path} is damaged: its SHA-256 differs from the manifest's.")
    (work / "media").mkdir(exist_ok=True)


def _safe_relative(name: str) -> Path:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"The archive names a file outside the backup: {name!r}.")
    return Path(*path.parts)


def _replace_folder(new: Path, target: Path) -> None:
    """Put new in place of target, keeping the old folder until new is there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.replace(old)
    shutil.move(new, target)
    if old.exists():
        shutil.rmtree(old)


def _work_parent(media: Path | None) -> Path | None:
    # Extracting beside MEDIA_ROOT keeps the final move a rename on one file system.
    if media is None:
        return None
    media.parent.mkdir(parents=True, exist_ok=True)
    return media.parent


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _accountwise_version() -> str:
    try:
        return version("accountwise")
    except PackageNotFoundError:
        return "unknown"
