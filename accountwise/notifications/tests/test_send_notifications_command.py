import datetime
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from accountwise.notifications.models import Notification, RenewalRule
from accountwise.notifications.tests.factories import make_rule
from accountwise.test import BaseTestCase, make_contract

UTC = datetime.timezone.utc


def _at(*moment) -> mock._patch:
    return mock.patch("django.utils.timezone.now", return_value=datetime.datetime(*moment, tzinfo=UTC))


class SendNotificationsCommandTests(BaseTestCase):
    def setUp(self):
        make_rule(days_before=[30, 7])
        self.contract = make_contract(self.account, "Support", end_date=datetime.date(2027, 6, 30), owner=self.owner)

    def _call(self) -> str:
        out = StringIO()
        call_command("send_notifications", stdout=out)
        return out.getvalue()

    def test_prints_what_it_did(self):
        with _at(2027, 5, 31, 9, 0):
            output = self._call()

        self.assertEqual(
            output,
            "Renewal notifications: 1 notification created, 1 e-mail sent, 0 failed, 0 skipped, "
            "0 renewal opportunities created.\n",
        )

    def test_second_call_does_nothing(self):
        with _at(2027, 5, 31, 9, 0):
            self._call()
            output = self._call()

        self.assertIn("0 notifications created, 0 e-mails sent", output)
        self.assertEqual(len(mail.outbox), 1)

    def test_logs_start_and_finish(self):
        with _at(2027, 5, 31, 9, 0), self.assertLogs("accountwise.notifications", "INFO") as logs:
            self._call()

        self.assertIn("Renewal notification run started for 2027-05-31", logs.output[0])
        self.assertIn("Renewal notification run for 2027-05-31 finished", logs.output[-1])

    def test_year_end_local_date(self):
        RenewalRule.objects.update(days_before=[7])
        self.contract.end_date = datetime.date(2028, 1, 6)
        self.contract.save()

        # 23:30 UTC on Dec 29 is already Dec 30 in Auckland: 7 days before the end.
        with override_settings(TIME_ZONE="Pacific/Auckland"), _at(2027, 12, 29, 23, 30):
            self._call()
        with override_settings(TIME_ZONE="UTC"), _at(2027, 12, 29, 23, 30):
            utc_output = self._call()

        self.assertEqual(list(Notification.objects.values_list("days_before", flat=True)), [7])
        self.assertIn("0 notifications created", utc_output)

    def test_leap_day_end(self):
        self.contract.end_date = datetime.date(2028, 2, 29)
        self.contract.save()

        with _at(2028, 1, 29, 12, 0):
            before = self._call()
        with _at(2028, 1, 30, 12, 0):
            due = self._call()

        self.assertIn("0 notifications created", before)
        self.assertIn("1 notification created", due)
        self.assertIn("ends in 30 days, on Feb 29, 2028", Notification.objects.get().message)
