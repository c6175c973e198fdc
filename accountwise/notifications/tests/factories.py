"""Factories for renewal rules and the dates the notification tests freeze around."""

import datetime

from django.utils import timezone

from accountwise.notifications.models import Channel, Delivery, DeliveryState, Notification, RenewalRule


def make_rule(name: str = "Standard renewals", named_users=(), **fields) -> RenewalRule:
    fields.setdefault("days_before", [90, 30, 7])
    rule = RenewalRule.objects.create(name=name, **fields)
    if named_users:
        rule.named_users.set(named_users)
    return rule


def days_before(end_date: datetime.date, days: int) -> datetime.date:
    return end_date - datetime.timedelta(days=days)


def make_notification(recipient, contract, *, channels=(Channel.IN_APP,), read: bool = False, **fields) -> Notification:
    """Create a notification as a run would, delivered on `channels`."""
    fields.setdefault("days_before", 30)
    fields.setdefault("end_date", contract.end_date or datetime.date(2027, 6, 30))
    fields.setdefault("message", f"{contract.name} at {contract.account.name} ends in 30 days.")
    notification = Notification.objects.create(
        recipient=recipient,
        contract=contract,
        url=contract.get_absolute_url(),
        read_at=timezone.now() if read else None,
        **fields,
    )
    for channel in channels:
        Delivery.objects.create(notification=notification, channel=channel, state=DeliveryState.SENT)
    return notification
