import datetime
import tempfile
from pathlib import Path
from unittest import mock

from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from accountwise.test import make_user
from accountwise.transfer import progress
from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.progress import ProgressRecorder, current_progress, is_stale
from accountwise.transfer.tests.support import WizardTestCase


class ProgressRecorderTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(self.owner, "name\nGlobex\n", status=ImportStatus.RUNNING)

    def test_written_to_row_outside_transaction(self):
        recorder = ProgressRecorder(self.run)

        with mock.patch.object(type(connection), "in_atomic_block", new=False, create=True):
            recorder(500, "checking")

        self.run.refresh_from_db()
        self.assertEqual((self.run.processed_rows, self.run.phase), (500, "checking"))

    def test_writes_at_most_twice_a_second(self):
        recorder = ProgressRecorder(self.run)

        with mock.patch.object(recorder, "_write") as write:
            recorder(1, "importing")
            recorder(2, "importing")

        self.assertEqual(write.call_count, 1)

    def test_failure_does_not_stop_import(self):
        recorder = ProgressRecorder(self.run)

        with mock.patch.object(recorder, "_write", side_effect=OSError("disk full")), self.assertLogs(progress.__name__, "ERROR"):
            recorder(1, "importing")

    def test_close_removes_file(self):
        recorder = ProgressRecorder(self.run)
        with transaction.atomic():
            recorder(1, "importing")

        recorder.close()

        self.assertEqual(current_progress(self.run), (0, ""))

    def test_recent_run_not_stale(self):
        self.assertFalse(is_stale(self.run))

    def test_silent_run_stale(self):
        ImportRun.objects.filter(pk=self.run.pk).update(updated_at=timezone.now() - progress.STALE_AFTER - datetime.timedelta(minutes=1))
        self.run.refresh_from_db()

        self.assertTrue(is_stale(self.run))

    def test_finished_run_never_stale(self):
        ImportRun.objects.filter(pk=self.run.pk).update(status=ImportStatus.DONE, updated_at=timezone.now() - datetime.timedelta(days=2))
        self.run.refresh_from_db()

        self.assertFalse(is_stale(self.run))


class ProgressDuringTransactionTests(TransactionTestCase):
    """The import's transaction is open while progress is written, as in production."""

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        data_dir = override_settings(DATA_DIR=Path(folder.name) / "data", MEDIA_ROOT=Path(folder.name) / "media")
        data_dir.enable()
        self.addCleanup(data_dir.disable)
        self.run = ImportRun.objects.create(
            created_by=make_user("kim"), entity="accounts", file_name="import.csv", status=ImportStatus.RUNNING,
            row_count=1000,
        )

    def test_visible_before_commit(self):
        recorder = ProgressRecorder(self.run)
        self.addCleanup(recorder.close)

        with transaction.atomic():
            recorder(700, "importing")
            self.run.refresh_from_db()
            seen = current_progress(self.run)

        self.assertEqual(seen, (700, "importing"))
