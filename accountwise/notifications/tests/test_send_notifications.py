import datetime

from django.core import mail

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.notifications.actions import send_notifications
from accountwise.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    NotificationPreference,
    OverrideMode,
    RenewalOverride,
)
from accountwise.notifications.tests.factories import days_before, make_rule
from accountwise.test import BaseTestCase, make_contract, make_user

END = datetime.date(2027, 6, 30)


class SendNotificationsTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(days_before=[90, 30, 7])
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def _keys(self) -> list[tuple]:
        return sorted(
            Notification.objects.values_list("recipient__username", "days_before", "end_date")
        )

    def test_nothing_before_first_day(self):
        summary = send_notifications(days_before(END, 91))

        self.assertEqual(summary.notifications, 0)
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_sends_on_due_day(self):
        summary = send_notifications(days_before(END, 90))

        self.assertEqual(summary.notifications, 1)
        self.assertEqual(summary.emails_sent, 1)
        self.assertEqual(self._keys(), [("bob", 90, END)])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["bob@example.com"])

    def test_records_both_channels(self):
        send_notifications(days_before(END, 90))

        deliveries = Delivery.objects.order_by("channel")
        self.assertEqual(
            [(d.channel, d.state, d.attempts) for d in deliveries],
            [(Channel.EMAIL, DeliveryState.SENT, 1), (Channel.IN_APP, DeliveryState.SENT, 1)],
        )
        self.assertIsNotNone(deliveries[0].sent_at)

    def test_message_and_link(self):
        send_notifications(days_before(END, 30))

        notification = Notification.objects.get()
        self.assertEqual(notification.message, "Support at Acme Corporation ends in 30 days, on Jun 30, 2027.")
        self.assertEqual(notification.url, self.contract.get_absolute_url())
        self.assertEqual(notification.rule, self.rule)
        self.assertIsNone(notification.read_at)

    def test_email_text(self):
        send_notifications(days_before(END, 7))

        email = mail.outbox[0]
        self.assertEqual(email.subject, "Renewal reminder: Support (Acme Corporation) ends on Jun 30, 2027")
        self.assertIn("Support at Acme Corporation ends in 7 days, on Jun 30, 2027.", email.body)
        self.assertIn(f"http://127.0.0.1:8000/contracts/{self.contract.pk}/", email.body)
        self.assertIn("Standard renewals", email.body)

    def test_second_run_sends_nothing(self):
        today = days_before(END, 30)
        send_notifications(today)

        summary = send_notifications(today)

        self.assertEqual(summary.notifications, 0)
        self.assertEqual(summary.emails_sent, 0)
        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_following_days_send_nothing(self):
        send_notifications(days_before(END, 30))

        for days in range(29, 7, -1):
            send_notifications(days_before(END, days))

        self.assertEqual(self._keys(), [("bob", 30, END)])
        self.assertEqual(len(mail.outbox), 1)

    def test_each_day_in_turn(self):
        for days in range(100, -1, -1):
            send_notifications(days_before(END, days))

        self.assertEqual(self._keys(), [("bob", 7, END), ("bob", 30, END), ("bob", 90, END)])
        self.assertEqual(len(mail.outbox), 3)

    def test_late_run_sends_latest_only(self):
        # The server was down from 95 days before the end until 12 days before.
        send_notifications(days_before(END, 95))

        send_notifications(days_before(END, 12))

        self.assertEqual(self._keys(), [("bob", 30, END)])
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("ends in 12 days", Notification.objects.get().message)

    def test_catch_up_then_next_day(self):
        send_notifications(days_before(END, 12))

        send_notifications(days_before(END, 7))

        self.assertEqual(self._keys(), [("bob", 7, END), ("bob", 30, END)])

    def test_end_date_today_catches_up(self):
        summary = send_notifications(END)

        self.assertEqual(self._keys(), [("bob", 7, END)])
        self.assertIn("ends today", mail.outbox[0].body)
        self.assertEqual(summary.notifications, 1)

    def test_past_end_date_sends_nothing(self):
        summary = send_notifications(END + datetime.timedelta(days=1))

        self.assertEqual(summary.notifications, 0)
        self.assertEqual(mail.outbox, [])

    def test_changed_end_date_new_reminders(self):
        send_notifications(days_before(END, 30))
        new_end = datetime.date(2027, 7, 31)
        self.contract.end_date = new_end
        self.contract.save()

        send_notifications(days_before(new_end, 60))
        send_notifications(days_before(new_end, 30))

        self.assertEqual(self._keys(), [("bob", 30, END), ("bob", 30, new_end), ("bob", 90, new_end)])
        self.assertEqual(len(mail.outbox), 3)
        self.assertIn("Jul 31, 2027", mail.outbox[2].subject)

    def test_end_date_moved_earlier(self):
        send_notifications(days_before(END, 90))
        new_end = datetime.date(2027, 5, 15)
        self.contract.end_date = new_end
        self.contract.save()

        send_notifications(days_before(new_end, 20))

        self.assertEqual(self._keys(), [("bob", 30, new_end), ("bob", 90, END)])

    def test_archived_contract_gets_none(self):
        self.contract.status = ContractStatus.ARCHIVED
        self.contract.save()

        summary = send_notifications(days_before(END, 30))

        self.assertEqual(summary.notifications, 0)
        self.assertEqual(mail.outbox, [])

    def test_archived_account_gets_none(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        send_notifications(days_before(END, 30))

        self.assertFalse(Notification.objects.exists())

    def test_contract_without_end_date(self):
        self.contract.end_date = None
        self.contract.save()

        send_notifications(days_before(END, 30))

        self.assertFalse(Notification.objects.exists())

    def test_inactive_rule_sends_nothing(self):
        self.rule.is_active = False
        self.rule.save()

        send_notifications(days_before(END, 30))

        self.assertFalse(Notification.objects.exists())

    def test_contract_without_owner(self):
        self.contract.owner = None
        self.contract.save()

        summary = send_notifications(days_before(END, 30))

        self.assertEqual(summary.notifications, 0)

    def test_account_owner_and_team(self):
        self.rule.notify_contract_owner = False
        self.rule.notify_account_owner = True
        self.rule.notify_account_team = True
        self.rule.save()

        send_notifications(days_before(END, 30))

        self.assertEqual(self._keys(), [("bob", 30, END), ("charlie", 30, END)])

    def test_named_users(self):
        erin = make_user("erin")
        self.rule.named_users.set([erin, self.admin])

        send_notifications(days_before(END, 30))

        self.assertEqual(self._keys(), [("alice", 30, END), ("bob", 30, END), ("erin", 30, END)])

    def test_recipient_once_per_rule(self):
        self.rule.notify_account_owner = True
        self.rule.named_users.set([self.owner])

        send_notifications(days_before(END, 30))

        self.assertEqual(self._keys(), [("bob", 30, END)])
        self.assertEqual(len(mail.outbox), 1)

    def test_inactive_user_skipped(self):
        self.rule.notify_account_team = True
        self.rule.save()
        self.teammate.is_active = False
        self.teammate.save()

        send_notifications(days_before(END, 30))

        self.assertEqual(self._keys(), [("bob", 30, END)])

    def test_two_rules_each_notify(self):
        make_rule("Leadership", days_before=[60], notify_contract_owner=False, named_users=[self.admin])

        send_notifications(days_before(END, 45))

        self.assertEqual(self._keys(), [("alice", 60, END), ("bob", 90, END)])

    def test_other_accounts_contracts(self):
        erin = make_user("erin")
        other = make_contract(self.account, "Licences", end_date=days_before(END, -5), owner=erin)

        send_notifications(days_before(END, 30))

        self.assertEqual(self._keys(), [("bob", 30, END), ("erin", 90, other.end_date)])


class UserWithoutEmailTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(days_before=[30])
        self.owner.email = ""
        self.owner.save()
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def test_gets_in_app_only(self):
        summary = send_notifications(days_before(END, 30))

        notification = Notification.objects.get()
        self.assertEqual(notification.recipient, self.owner)
        self.assertTrue(Notification.objects.in_app().filter(pk=notification.pk).exists())
        self.assertEqual(mail.outbox, [])
        self.assertEqual(summary.emails_skipped, 1)

    def test_skip_recorded_not_error(self):
        with self.assertLogs("accountwise.notifications", "INFO") as logs:
            send_notifications(days_before(END, 30))

        email = Delivery.objects.get(channel=Channel.EMAIL)
        self.assertEqual(email.state, DeliveryState.SKIPPED)
        self.assertEqual(email.last_error, "The user has no e-mail address.")
        self.assertEqual(email.attempts, 0)
        self.assertTrue(any("has no e-mail address" in line and "INFO" in line for line in logs.output))
        self.assertFalse(any(line.startswith(("ERROR", "WARNING")) for line in logs.output))

    def test_skip_not_retried(self):
        send_notifications(days_before(END, 30))

        summary = send_notifications(days_before(END, 29))

        self.assertEqual(summary.emails_skipped, 0)
        self.assertEqual(Delivery.objects.get(channel=Channel.EMAIL).state, DeliveryState.SKIPPED)

    def test_email_only_rule_falls_back_in_app(self):
        self.rule.by_in_app = False
        self.rule.save()

        send_notifications(days_before(END, 30))

        self.assertEqual(
            sorted(Delivery.objects.values_list("channel", "state")),
            [(Channel.EMAIL, DeliveryState.SKIPPED), (Channel.IN_APP, DeliveryState.SENT)],
        )


class ChannelChoiceTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(days_before=[30], notify_account_team=True)
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def _channels(self, user) -> list[str]:
        return sorted(Delivery.objects.filter(notification__recipient=user).values_list("channel", flat=True))

    def test_email_turned_off(self):
        NotificationPreference.objects.create(user=self.owner, in_app=True, email=False)

        send_notifications(days_before(END, 30))

        self.assertEqual(self._channels(self.owner), [Channel.IN_APP])
        self.assertEqual(self._channels(self.teammate), [Channel.EMAIL, Channel.IN_APP])
        self.assertEqual([email.to for email in mail.outbox], [["charlie@example.com"]])

    def test_in_app_turned_off(self):
        NotificationPreference.objects.create(user=self.owner, in_app=False, email=True)

        send_notifications(days_before(END, 30))

        self.assertEqual(self._channels(self.owner), [Channel.EMAIL])
        self.assertFalse(Notification.objects.in_app().filter(recipient=self.owner).exists())

    def test_everything_turned_off(self):
        NotificationPreference.objects.create(user=self.owner, in_app=False, email=False)

        send_notifications(days_before(END, 30))

        self.assertFalse(Notification.objects.filter(recipient=self.owner).exists())

    def test_rule_in_app_only(self):
        self.rule.by_email = False
        self.rule.save()

        send_notifications(days_before(END, 30))

        self.assertEqual(self._channels(self.owner), [Channel.IN_APP])
        self.assertEqual(mail.outbox, [])


class OverrideTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(days_before=[90, 30, 7])
        self.contract = make_contract(self.account, "Support", end_date=END, owner=self.owner)

    def test_off_sends_nothing(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.OFF)

        for days in (90, 30, 7, 0):
            send_notifications(days_before(END, days))

        self.assertFalse(Notification.objects.exists())

    def test_custom_days_replace_rule(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.CUSTOM_DAYS, days_before=[60, 14])

        for days in range(100, -1, -1):
            send_notifications(days_before(END, days))

        self.assertEqual(sorted(Notification.objects.values_list("days_before", flat=True)), [14, 60])

    def test_custom_days_beyond_rules(self):
        far_end = datetime.date(2029, 6, 30)
        self.contract.end_date = far_end
        self.contract.save()
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.CUSTOM_DAYS, days_before=[365])

        send_notifications(days_before(far_end, 365))

        self.assertEqual(list(Notification.objects.values_list("days_before", flat=True)), [365])

    def test_other_contracts_follow_rules(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.OFF)
        other = make_contract(self.account, "Licences", end_date=END, owner=self.owner)

        send_notifications(days_before(END, 30))

        self.assertEqual(list(Notification.objects.values_list("contract", flat=True)), [other.pk])
