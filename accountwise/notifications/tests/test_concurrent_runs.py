"""Two runs of send_notifications at once, as on two servers: each reminder still goes out once."""

import datetime
import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.test import SimpleTestCase, TransactionTestCase
from django.utils import timezone

from accountwise.notifications.actions import send_notifications
from accountwise.notifications.models import Channel, Delivery, DeliveryState, Notification
from accountwise.notifications.reminders import record_due
from accountwise.notifications.tests.factories import days_before, make_rule
from accountwise.notifications.tests.smtp_server import SmtpServer
from accountwise.test import BaseTestCase, make_account, make_contract, make_user

END = datetime.date(2027, 6, 30)
REPOSITORY = Path(__file__).resolve().parents[3]


class LostRaceTests(BaseTestCase):
    """The run that reaches the insert second: the unique constraint stops it, and it sends nothing."""

    def setUp(self):
        make_rule(days_before=[30])
        make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def test_second_insert_sends_nothing(self):
        send_notifications(days_before(END, 30))
        # As if this run read the recorded reminders before the other run inserted its own.
        with mock.patch("accountwise.notifications.reminders.recorded_reminders", return_value=set()):
            with self.assertLogs("accountwise.notifications.reminders", "INFO") as logs:
                summary = send_notifications(days_before(END, 30))

        self.assertEqual(summary.notifications, 0)
        self.assertEqual(summary.emails_sent, 0)
        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(any("recorded by another run" in line for line in logs.output))

    def test_taken_delivery_not_sent(self):
        def record_then_taken_elsewhere(today, now, summary):
            record_due(today, now, summary)
            # Another run took the e-mails between this run's insert and its send.
            Delivery.objects.filter(pk__in=summary.email_delivery_ids).update(
                claimed_at=now + datetime.timedelta(seconds=1)
            )

        with mock.patch("accountwise.notifications.actions.record_due", side_effect=record_then_taken_elsewhere):
            summary = send_notifications(days_before(END, 30))

        self.assertEqual(summary.notifications, 1)
        self.assertEqual(summary.emails_sent, 0)
        self.assertEqual(mail.outbox, [])


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Threads share the SQLite test database through one in-memory shared cache,
# whose table locks fail at once instead of waiting, so on SQLite the race is
# tested with processes and a database file instead.
THREADS_NEED_SERVER = "the in-memory SQLite test database cannot take concurrent writers"


@unittest.skipUnless(ON_POSTGRESQL, THREADS_NEED_SERVER)
class ThreadedRunsTests(TransactionTestCase):
    """Two threads, each with its own database connection, run at the same moment."""

    CONTRACTS = 15

    def setUp(self):
        owner = make_user("bob")
        teammate = make_user("charlie")
        make_rule(days_before=[90, 30, 7], notify_account_team=True)
        for number in range(self.CONTRACTS):
            account = make_account(f"Account {number}", owner=owner, team=[teammate])
            make_contract(account, f"Contract {number}", end_date=END, owner=owner)

    def _run_twice_at_once(self, today: datetime.date) -> list:
        start = threading.Barrier(2)
        results, errors = [], []

        def run():
            try:
                start.wait(timeout=10)
                results.append(send_notifications(today))
            except Exception as error:  # Reported by the assertion below.
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        return results

    def test_each_reminder_once(self):
        results = self._run_twice_at_once(days_before(END, 30))

        expected = self.CONTRACTS * 2
        self.assertEqual(Notification.objects.count(), expected)
        self.assertEqual(sum(summary.notifications for summary in results), expected)
        self.assertEqual(len(mail.outbox), expected)
        self.assertEqual(sum(summary.emails_sent for summary in results), expected)
        self.assertEqual(
            set(Delivery.objects.filter(channel=Channel.EMAIL).values_list("state", flat=True)), {DeliveryState.SENT}
        )
        recipients = sorted((email.to[0], email.subject) for email in mail.outbox)
        self.assertEqual(len(set(recipients)), expected)


@unittest.skipUnless(ON_POSTGRESQL, "processes cannot reach the in-memory SQLite test database")
class ProcessRunsTests(TransactionTestCase):
    """Two `accountwise send_notifications` processes against one PostgreSQL database, like two servers."""

    CONTRACTS = 60

    def setUp(self):
        self.today = timezone.localdate()
        self.end = self.today + datetime.timedelta(days=30)
        owner = make_user("bob")
        teammate = make_user("charlie")
        make_rule(days_before=[30], notify_account_team=True)
        for number in range(self.CONTRACTS):
            account = make_account(f"Account {number}", owner=owner, team=[teammate])
            make_contract(account, f"Contract {number}", end_date=self.end, owner=owner)
        self.server = SmtpServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        # The child processes must see the rows, so nothing may stay in an open transaction here.
        connections.close_all()

    def _environment(self, data_dir: str) -> dict:
        database = settings.DATABASES["default"]
        credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        environment = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
        environment.update(
            DATABASE_URL=f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            DATA_DIR=data_dir,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.server.port),
            EMAIL_TIMEOUT="10",
            LOG_LEVEL="WARNING",
            TIME_ZONE=settings.TIME_ZONE,
        )
        return environment

    def test_two_processes_send_once(self):
        with tempfile.TemporaryDirectory() as data_dir:
            command = [sys.executable, "-m", "accountwise", "send_notifications"]
            environment = self._environment(data_dir)
            processes = [
                subprocess.Popen(
                    command, cwd=REPOSITORY, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
                for _ in range(2)
            ]
            outputs = [process.communicate(timeout=120) for process in processes]

        for process, (stdout, stderr) in zip(processes, outputs):
            self.assertEqual(process.returncode, 0, stderr)
        created = [int(re.search(r"(\d+) notifications? created", stdout).group(1)) for stdout, _ in outputs]
        expected = self.CONTRACTS * 2
        self.assertEqual(sum(created), expected)
        self.assertEqual(Notification.objects.count(), expected)
        self.assertEqual(len(self.server.mailbox.messages), expected)
        delivered = {(message["To"], message["Subject"]) for message in self.server.mailbox.messages}
        self.assertEqual(len(delivered), expected)
        self.assertEqual(
            set(Delivery.objects.filter(channel=Channel.EMAIL).values_list("state", flat=True)), {DeliveryState.SENT}
        )


@unittest.skipUnless(ON_POSTGRESQL, THREADS_NEED_SERVER)
class ThreadedRetriesTests(TransactionTestCase):
    """Two runs retrying the same failed e-mails at once send each one once."""

    def setUp(self):
        owner = make_user("bob")
        make_rule(days_before=[30])
        for number in range(10):
            make_contract(make_account(f"Account {number}", owner=owner), f"Contract {number}", end_date=END, owner=owner)
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=ConnectionRefusedError
        ):
            send_notifications(days_before(END, 30))
        mail.outbox = []

    def test_each_retry_once(self):
        start = threading.Barrier(2)
        errors = []

        def run():
            try:
                start.wait(timeout=10)
                send_notifications(days_before(END, 29))
            except Exception as error:  # Reported by the assertion below.
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        self.assertEqual(errors, [])
        self.assertEqual(len(mail.outbox), 10)
        self.assertEqual(
            sorted(Delivery.objects.filter(channel=Channel.EMAIL).values_list("state", "attempts").distinct()),
            [(DeliveryState.SENT, 2)],
        )


_SEED = """
import datetime
from django.utils import timezone
from accountwise.notifications.tests.factories import make_rule
from accountwise.test import make_account, make_contract, make_user
end = timezone.localdate() + datetime.timedelta(days=30)
owner, teammate = make_user("bob"), make_user("charlie")
make_rule(days_before=[30], notify_account_team=True)
for number in range({count}):
    account = make_account(f"Account {{number}}", owner=owner, team=[teammate])
    make_contract(account, f"Contract {{number}}", end_date=end, owner=owner)
"""

_COUNT = """
from accountwise.notifications.models import Delivery, Notification
print(Notification.objects.count(), sorted(set(Delivery.objects.filter(channel="email").values_list("state", flat=True))))
"""


@unittest.skipIf(ON_POSTGRESQL, "ProcessRunsTests covers PostgreSQL")
class SqliteProcessRunsTests(SimpleTestCase):
    """Two `accountwise send_notifications` processes against one SQLite database file."""

    CONTRACTS = 40

    def setUp(self):
        self.server = SmtpServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        data_dir = tempfile.TemporaryDirectory()
        self.addCleanup(data_dir.cleanup)
        environment = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
        environment.update(
            DATABASE_URL=f"sqlite:///{data_dir.name}/accountwise.sqlite3",
            DATA_DIR=data_dir.name,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.server.port),
            EMAIL_TIMEOUT="10",
            LOG_LEVEL="WARNING",
        )
        self.environment = environment
        self._accountwise("migrate", "--verbosity", "0")
        self._accountwise("shell", "--no-imports", "-c", _SEED.format(count=self.CONTRACTS))

    def _accountwise(self, *arguments: str) -> str:
        finished = subprocess.run(
            [sys.executable, "-m", "accountwise", *arguments],
            cwd=REPOSITORY, env=self.environment, capture_output=True, text=True, timeout=120,
        )
        self.assertEqual(finished.returncode, 0, finished.stderr)
        return finished.stdout

    def test_two_processes_send_once(self):
        command = [sys.executable, "-m", "accountwise", "send_notifications"]
        processes = [
            subprocess.Popen(
                command, cwd=REPOSITORY, env=self.environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=120) for process in processes]

        for process, (stdout, stderr) in zip(processes, outputs):
            self.assertEqual(process.returncode, 0, stderr)
        created = [int(re.search(r"(\d+) notifications? created", stdout).group(1)) for stdout, _ in outputs]
        expected = self.CONTRACTS * 2
        self.assertEqual(sum(created), expected)
        self.assertEqual(self._accountwise("shell", "--no-imports", "-c", _COUNT).strip(), f"{expected} ['sent']")
        self.assertEqual(len(self.server.mailbox.messages), expected)
        delivered = {(message["To"], message["Subject"]) for message in self.server.mailbox.messages}
        self.assertEqual(len(delivered), expected)
