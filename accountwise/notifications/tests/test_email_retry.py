import datetime
import smtplib
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accountwise.contracts.models import ContractStatus
from accountwise.notifications.actions import send_notifications
from accountwise.notifications.models import Channel, Delivery, DeliveryState
from accountwise.notifications.sending import PENDING_TIMEOUT
from accountwise.notifications.tests.factories import days_before, make_rule
from accountwise.test import BaseTestCase, make_contract

END = datetime.date(2027, 6, 30)
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _refused(*args, **kwargs):
    raise smtplib.SMTPRecipientsRefused({"bob@example.com": (550, b"Mailbox unavailable")})


class EmailRetryTests(BaseTestCase):
    def setUp(self):
        make_rule(days_before=[30])
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def _email(self) -> Delivery:
        return Delivery.objects.get(channel=Channel.EMAIL)

    def _fail_once(self, today=None):
        with mock.patch(LOCMEM_SEND, side_effect=_refused):
            return send_notifications(today or days_before(END, 30))

    def test_failure_not_marked_sent(self):
        summary = self._fail_once()

        email = self._email()
        self.assertEqual(email.state, DeliveryState.FAILED)
        self.assertEqual(email.attempts, 1)
        self.assertIsNone(email.sent_at)
        self.assertIn("Mailbox unavailable", email.last_error)
        self.assertEqual(summary.emails_failed, 1)
        self.assertEqual(summary.emails_sent, 0)

    def test_failure_logged_with_ids(self):
        with self.assertLogs("accountwise.notifications.sending", "WARNING") as logs:
            self._fail_once()

        email = self._email()
        self.assertIn(f"notification {email.notification_id} (delivery {email.pk}", logs.output[0])
        self.assertIn(f"contract {self.contract.pk}, user {self.owner.pk}", logs.output[0])

    def test_in_app_unaffected_by_failure(self):
        self._fail_once()

        self.assertEqual(Delivery.objects.get(channel=Channel.IN_APP).state, DeliveryState.SENT)

    def test_next_run_retries(self):
        self._fail_once()

        summary = send_notifications(days_before(END, 29))

        email = self._email()
        self.assertEqual(email.state, DeliveryState.SENT)
        self.assertEqual(email.attempts, 2)
        self.assertEqual(email.last_error, "")
        self.assertIsNotNone(email.sent_at)
        self.assertEqual(summary.emails_sent, 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_retry_same_day(self):
        self._fail_once()

        send_notifications(days_before(END, 30))

        self.assertEqual(self._email().state, DeliveryState.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_repeated_failures_count(self):
        for _ in range(3):
            self._fail_once()

        email = self._email()
        self.assertEqual(email.state, DeliveryState.FAILED)
        self.assertEqual(email.attempts, 3)

    def test_sent_not_retried(self):
        self._fail_once()
        send_notifications(days_before(END, 29))

        summary = send_notifications(days_before(END, 28))

        self.assertEqual(summary.emails_sent, 0)
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(NOTIFICATION_EMAIL_MAX_ATTEMPTS=2)
    def test_gives_up_after_max(self):
        self._fail_once()
        with self.assertLogs("accountwise.notifications.sending", "ERROR") as logs:
            self._fail_once()

        summary = send_notifications(days_before(END, 29))

        self.assertEqual(summary.emails_sent, 0)
        self.assertEqual(self._email().attempts, 2)
        self.assertEqual(self._email().state, DeliveryState.FAILED)
        self.assertIn("it is not retried again", logs.output[0])

    def test_no_retry_after_end_date(self):
        self._fail_once()

        send_notifications(END + datetime.timedelta(days=1))

        self.assertEqual(self._email().state, DeliveryState.FAILED)
        self.assertEqual(mail.outbox, [])

    def test_archived_contract_skipped_on_retry(self):
        self._fail_once()
        self.contract.status = ContractStatus.ARCHIVED
        self.contract.save()

        summary = send_notifications(days_before(END, 29))

        email = self._email()
        self.assertEqual(email.state, DeliveryState.SKIPPED)
        self.assertEqual(email.last_error, "The contract was archived.")
        self.assertEqual(summary.emails_skipped, 1)
        self.assertEqual(mail.outbox, [])

    def test_changed_end_date_skips_old(self):
        self._fail_once()
        self.contract.end_date = datetime.date(2027, 9, 30)
        self.contract.save()

        send_notifications(days_before(END, 29))

        self.assertEqual(self._email().state, DeliveryState.SKIPPED)
        self.assertEqual(mail.outbox, [])

    def test_stale_pending_taken_over(self):
        # A run that recorded the reminder died before sending the e-mail.
        with mock.patch("accountwise.notifications.actions.send_emails"):
            send_notifications(days_before(END, 30))
        self.assertEqual(self._email().state, DeliveryState.PENDING)

        later = timezone.now() + PENDING_TIMEOUT + datetime.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            send_notifications(days_before(END, 30))

        self.assertEqual(self._email().state, DeliveryState.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_recent_pending_left_alone(self):
        with mock.patch("accountwise.notifications.actions.send_emails"):
            send_notifications(days_before(END, 30))

        send_notifications(days_before(END, 30))

        self.assertEqual(self._email().state, DeliveryState.PENDING)
        self.assertEqual(mail.outbox, [])
