import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TransactionTestCase

from accountwise.notifications.models import Notification
from accountwise.notifications.reminders import RunSummary
from accountwise.notifications.tests.factories import make_rule
from accountwise.test import make_account, make_contract, make_user

REPOSITORY = Path(__file__).resolve().parents[3]
SEND = "accountwise.notifications.management.commands.worker.send_notifications"


class WorkerTests(TransactionTestCase):
    """The worker closes database connections between runs, which a TestCase transaction would not survive."""

    def test_once_runs_send_notifications(self):
        make_rule(days_before=[30])
        end = datetime.date.today() + datetime.timedelta(days=30)
        owner = make_user("bob")
        make_contract(make_account("Acme Corporation", owner=owner), "Support", end_date=end, owner=owner)

        with mock.patch("django.utils.timezone.now", return_value=datetime.datetime.combine(
            end - datetime.timedelta(days=30), datetime.time(9), tzinfo=datetime.timezone.utc
        )):
            call_command("worker", "--once")

        self.assertEqual(Notification.objects.count(), 1)

    def test_logs_start_run_stop(self):
        with self.assertLogs("accountwise.notifications.management.commands.worker", "INFO") as logs:
            call_command("worker", "--once")

        pid = os.getpid()
        self.assertIn(f"Notification worker {pid} started: a run every 900 seconds", logs.output[0])
        self.assertIn(f"Notification worker {pid}: run 1 started", logs.output[1])
        self.assertIn(f"Notification worker {pid}: run 1 finished", logs.output[2])
        self.assertIn(f"Notification worker {pid} stopped after 1 run", logs.output[3])

    def test_failed_run_logged_and_survived(self):
        calls = []

        def fail_then_stop():
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("database unreachable")
            os.kill(os.getpid(), signal.SIGTERM)
            return RunSummary()

        with mock.patch(SEND, side_effect=fail_then_stop), self.assertLogs(
            "accountwise.notifications.management.commands.worker", "INFO"
        ) as logs:
            call_command("worker", "--interval", "1")

        self.assertEqual(len(calls), 2)
        errors = [line for line in logs.output if line.startswith("ERROR")]
        self.assertEqual(len(errors), 1)
        self.assertIn("run 1 failed", errors[0])
        self.assertIn("database unreachable", errors[0])
        self.assertIn("stopped after 2 runs", logs.output[-1])

    def test_sigterm_stops_while_waiting(self):
        def stop_soon():
            os.kill(os.getpid(), signal.SIGTERM)
            return RunSummary()

        started = time.monotonic()
        with mock.patch(SEND, side_effect=stop_soon):
            call_command("worker", "--interval", "3600")

        self.assertLess(time.monotonic() - started, 30)

    def test_restores_signal_handlers(self):
        before = signal.getsignal(signal.SIGTERM)

        call_command("worker", "--once")

        self.assertIs(signal.getsignal(signal.SIGTERM), before)

    def test_rejects_zero_interval(self):
        with self.assertRaisesMessage(CommandError, "--interval 0 is too short"):
            call_command("worker", "--interval", "0", stdout=StringIO())


class WorkerProcessTests(SimpleTestCase):
    """The worker as `make run` starts it: a separate process that stops cleanly on a signal."""

    def setUp(self):
        data_dir = tempfile.TemporaryDirectory()
        self.addCleanup(data_dir.cleanup)
        self.environment = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
        self.environment.update(
            DATABASE_URL=f"sqlite:///{data_dir.name}/accountwise.sqlite3", DATA_DIR=data_dir.name, LOG_LEVEL="INFO"
        )
        subprocess.run(
            [sys.executable, "-m", "accountwise", "migrate", "--verbosity", "0"],
            cwd=REPOSITORY, env=self.environment, check=True, timeout=120,
        )

    def _stop_with(self, number: int) -> str:
        worker = subprocess.Popen(
            [sys.executable, "-m", "accountwise", "worker", "--interval", "3600"],
            cwd=REPOSITORY, env=self.environment, stderr=subprocess.PIPE, text=True,
        )
        lines = []
        for line in worker.stderr:
            lines.append(line)
            if "run 1 finished" in line:
                break
        worker.send_signal(number)
        _, rest = worker.communicate(timeout=30)
        self.assertEqual(worker.returncode, 0, "".join(lines) + rest)
        return "".join(lines) + rest

    def test_stops_on_sigterm(self):
        log = self._stop_with(signal.SIGTERM)

        self.assertIn("stopped after 1 run", log)
        self.assertNotIn("Traceback", log)

    def test_stops_on_sigint(self):
        log = self._stop_with(signal.SIGINT)

        self.assertIn("stopped after 1 run", log)
        self.assertNotIn("KeyboardInterrupt", log)
