"""Changes to notifications, rules and preferences that every caller (views, commands) makes here."""

import datetime
import logging

from django.utils import timezone

from accountwise.notifications.models import (
    Notification,
    NotificationPreference,
    OverrideMode,
    RenewalOverride,
    RenewalRule,
)
from accountwise.notifications.reminders import RunSummary, record_due
from accountwise.notifications.sending import retryable_ids, send_emails

logger = logging.getLogger(__name__)


def send_notifications(today: datetime.date | None = None) -> RunSummary:
    """Send the renewal reminders and create the renewal opportunities due on `today`.

    `today` defaults to the local date. Safe to run at any time and as often
    as wanted, on several servers at once: each reminder goes out once. E-mails
    that failed on earlier runs are retried first.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    summary = RunSummary()
    logger.info("Renewal notification run started for %s", today)

    send_emails(retryable_ids(today, now), now, summary, retrying=True)
    record_due(today, now, summary)
    send_emails(summary.email_delivery_ids, now, summary)

    logger.info("Renewal notification run for %s finished: %s", today, summary)
    return summary


def mark_read(user, notification_id: int) -> bool:
    """Mark one of the user's notifications as read; return False when the user has no such notification."""
    notifications = Notification.objects.for_recipient(user).filter(pk=notification_id)
    if not notifications.exists():
        return False
    notifications.unread().update(read_at=timezone.now())
    return True


def mark_all_read(user) -> int:
    """Mark all the user's unread notifications as read and return how many there were."""
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


def preference_for(user) -> NotificationPreference:
    """Return the user's channel choice, unsaved with every channel on when they never chose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def save_rule(rule: RenewalRule, named_users, user) -> RenewalRule:
    """Save a validated rule and its named users."""
    created = rule.pk is None
    rule.save()
    rule.named_users.set(named_users)
    logger.info("Renewal rule %s %s by user %s", rule.pk, "created" if created else "saved", user.pk)
    return rule


def set_rule_active(rule: RenewalRule, active: bool, user) -> None:
    rule.is_active = active
    rule.save(update_fields=["is_active", "updated_at"])
    logger.info("Renewal rule %s %s by user %s", rule.pk, "activated" if active else "deactivated", user.pk)


def delete_rule(rule: RenewalRule, user) -> None:
    rule_id = rule.pk
    rule.delete()
    logger.info("Renewal rule %s deleted by user %s", rule_id, user.pk)


def save_override(contract, mode: str, days_before: list[int]) -> None:
    """Set how a contract departs from the renewal rules; an empty mode follows the rules again."""
    if not mode:
        RenewalOverride.objects.filter(contract=contract).delete()
        return
    RenewalOverride.objects.update_or_create(
        contract=contract,
        defaults={"mode": mode, "days_before": days_before if mode == OverrideMode.CUSTOM_DAYS else []},
    )
