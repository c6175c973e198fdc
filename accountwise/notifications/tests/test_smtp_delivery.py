import datetime

from django.test import override_settings

from accountwise.notifications.actions import send_notifications
from accountwise.notifications.models import Channel, Delivery, DeliveryState
from accountwise.notifications.tests.factories import days_before, make_rule
from accountwise.notifications.tests.smtp_server import SmtpServer
from accountwise.test import BaseTestCase, make_contract

END = datetime.date(2027, 6, 30)


class SmtpDeliveryTests(BaseTestCase):
    def setUp(self):
        make_rule(days_before=[30], notify_account_team=True)
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)
        self.server = SmtpServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        overrides = override_settings(**self.server.settings())
        overrides.enable()
        self.addCleanup(overrides.disable)

    def _email_states(self) -> list[tuple]:
        return sorted(
            Delivery.objects.filter(channel=Channel.EMAIL).values_list(
                "notification__recipient__username", "state", "attempts"
            )
        )

    def test_server_receives_emails(self):
        summary = send_notifications(days_before(END, 30))

        messages = sorted(self.server.mailbox.messages, key=lambda message: message["To"])
        self.assertEqual(summary.emails_sent, 2)
        self.assertEqual([message["To"] for message in messages], ["bob@example.com", "charlie@example.com"])
        self.assertEqual(messages[0]["X-Envelope-To"], "bob@example.com")
        self.assertEqual(
            messages[0]["Subject"], "Renewal reminder: Support (Acme Corporation) ends on Jun 30, 2027"
        )
        self.assertEqual(messages[0]["From"], "accountwise@localhost")
        self.assertIn(f"/contracts/{self.contract.pk}/", messages[0].get_payload())
        self.assertEqual(self._email_states(), [("bob", DeliveryState.SENT, 1), ("charlie", DeliveryState.SENT, 1)])

    def test_rejected_then_recovers(self):
        self.server.mailbox.rejecting = True
        failed = send_notifications(days_before(END, 30))
        self.assertEqual(failed.emails_failed, 2)
        self.assertEqual(self._email_states(), [("bob", DeliveryState.FAILED, 1), ("charlie", DeliveryState.FAILED, 1)])
        self.assertIn("550", Delivery.objects.filter(channel=Channel.EMAIL).first().last_error)
        self.assertEqual(self.server.mailbox.messages, [])

        self.server.mailbox.rejecting = False
        recovered = send_notifications(days_before(END, 29))

        self.assertEqual(recovered.emails_sent, 2)
        self.assertEqual(self._email_states(), [("bob", DeliveryState.SENT, 2), ("charlie", DeliveryState.SENT, 2)])
        self.assertEqual(len(self.server.mailbox.messages), 2)

    def test_stopped_then_recovers(self):
        self.server.stop()
        with self.assertLogs("accountwise.notifications.sending", "WARNING"):
            failed = send_notifications(days_before(END, 30))
        self.assertEqual(failed.emails_failed, 2)
        self.assertEqual(self._email_states(), [("bob", DeliveryState.FAILED, 1), ("charlie", DeliveryState.FAILED, 1)])
        self.assertIn("ConnectionRefusedError", Delivery.objects.filter(channel=Channel.EMAIL).first().last_error)

        self.server.start()
        recovered = send_notifications(days_before(END, 30))

        self.assertEqual(recovered.emails_sent, 2)
        self.assertEqual(self._email_states(), [("bob", DeliveryState.SENT, 2), ("charlie", DeliveryState.SENT, 2)])
        self.assertEqual(len(self.server.mailbox.messages), 2)

    def test_rejection_spares_in_app(self):
        self.server.mailbox.rejecting = True

        send_notifications(days_before(END, 30))

        states = set(Delivery.objects.filter(channel=Channel.IN_APP).values_list("state", flat=True))
        self.assertEqual(states, {DeliveryState.SENT})
