"""Record how far a running import has got, where the result page of any app server can read it.

The import writes its rows inside one transaction, so progress written on the
same connection would stay invisible until the end. On PostgreSQL the
recorder writes it to the ImportRun row through a second connection of its
own. SQLite lets one connection write at a time, so there the recorder
writes a small file beside the database instead; SQLite runs on one machine,
so every server process reads the same file.
"""

import datetime
import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from accountwise.transfer.models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)

# Seconds between two progress writes; the result page polls every second.
WRITE_INTERVAL = 0.5
# A running import that has recorded no progress for this long has stopped: the server
# process that ran it ended. Its transaction was rolled back, so nothing was written.
STALE_AFTER = datetime.timedelta(minutes=15)


def _progress_file(run_pk: int) -> Path:
    return Path(settings.DATA_DIR) / "imports" / "progress" / f"{run_pk}.json"


class ProgressRecorder:
    """A Progress callback that records the rows done and the phase of one import run."""

    def __init__(self, run: ImportRun):
        self.run_pk = run.pk
        self._last_write = 0.0
        self._side_connection = None

    def __call__(self, done: int, phase: str) -> None:
        now = time.monotonic()
        if now - self._last_write < WRITE_INTERVAL:
            return
        self._last_write = now
        try:
            self._write(done, phase)
        except Exception:
            # Progress is a courtesy: losing it must not stop the import.
            logger.exception("Could not record the progress of import run %s", self.run_pk)

    def close(self) -> None:
        if self._side_connection is not None:
            self._side_connection.close()
            self._side_connection = None
        _progress_file(self.run_pk).unlink(missing_ok=True)

    def _write(self, done: int, phase: str) -> None:
        if not connection.in_atomic_block:
            ImportRun.objects.filter(pk=self.run_pk).update(processed_rows=done, phase=phase, updated_at=timezone.now())
        elif connection.vendor == "postgresql":
            self._write_through_side_connection(done, phase)
        else:
            self._write_file(done, phase)

    def _write_through_side_connection(self, done: int, phase: str) -> None:
        if self._side_connection is None:
            # Not registered in django.db.connections, so it never joins the import's transaction.
            self._side_connection = connections.create_connection(DEFAULT_DB_ALIAS)
        side = self._side_connection
        table = side.ops.quote_name(ImportRun._meta.db_table)
        # SKIP LOCKED: should anything hold the row, this progress report is dropped instead of waiting.
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_rows = %s, phase = %s, updated_at = %s "
                f"WHERE id IN (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [done, phase, timezone.now(), self.run_pk],
            )

    def _write_file(self, done: int, phase: str) -> None:
        path = _progress_file(self.run_pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "phase": phase}))
        # The rename is atomic, so a reader sees the old or the new progress, never half of it.
        os.replace(temporary, path)


def current_progress(run: ImportRun) -> tuple[int, str]:
    """Return the rows done and the phase of a running import, from the row or the progress file."""
    done, phase = run.processed_rows, run.phase
    recorded = _read_file(run.pk)
    if recorded is not None and recorded[0] >= done:
        done, phase = recorded
    return done, phase


def last_activity(run: ImportRun) -> datetime.datetime:
    path = _progress_file(run.pk)
    try:
        written = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    except OSError:
        return run.updated_at
    return max(written, run.updated_at)


def is_stale(run: ImportRun) -> bool:
    """Return whether a run is marked as importing but has recorded no progress for a long time."""
    return run.status == ImportStatus.RUNNING and timezone.now() - last_activity(run) > STALE_AFTER


def _read_file(run_pk: int) -> tuple[int, str] | None:
    try:
        recorded = json.loads(_progress_file(run_pk).read_text())
        return int(recorded["done"]), str(recorded["phase"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
