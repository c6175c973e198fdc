"""Send notification e-mails through Django's e-mail framework, and retry the ones that failed.

A delivery is sent only by the run that took it with a compare-and-set
update, so two runs never send the same e-mail. It is marked sent only after
the backend accepted the message; any error leaves it failed, and the next
run retries it.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.notifications.models import Channel, Delivery, DeliveryState
from accountwise.notifications.reminders import NO_EMAIL_ADDRESS, RunSummary, format_date

logger = logging.getLogger(__name__)

# A delivery still pending this long after a run took it belongs to a run
# that died before finishing, so another run may take it over.
# NOTE: an e-mail whose sending takes longer than this could go out twice.
PENDING_TIMEOUT = datetime.timedelta(hours=1)

# Errors that mean "this attempt failed, try again later": the SMTP server
# refused or rejected the message, or could not be reached.
_SEND_ERRORS = (smtplib.SMTPException, OSError)


def retryable_ids(today: datetime.date, now: datetime.datetime) -> list[int]:
    """Return the e-mail deliveries that earlier runs left failed, or pending past the timeout.

    A reminder whose contract end date has passed is stale, so it is not retried.
    """
    return list(
        Delivery.objects.filter(
            channel=Channel.EMAIL,
            attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS,
            notification__end_date__gte=today,
        )
        .filter(Q(state=DeliveryState.FAILED) | Q(state=DeliveryState.PENDING, claimed_at__lt=now - PENDING_TIMEOUT))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_emails(
    delivery_ids: list[int], now: datetime.datetime, summary: RunSummary, *, retrying: bool = False
) -> None:
    """Take each delivery from its current state and send it, recording how the attempt ended."""
    if not delivery_ids:
        return

    connection = get_connection(fail_silently=False)
    try:
        for delivery_id in delivery_ids:
            delivery = _take(delivery_id, now, retrying=retrying)
            if delivery is not None:
                _send_one(delivery, connection, now, summary)
    finally:
        connection.close()


def _take(delivery_id: int, now: datetime.datetime, *, retrying: bool) -> Delivery | None:
    """Mark the delivery as taken by this run and return it, or None when another run has it.

    A delivery this run inserted carries this run's `now` as claimed_at; a
    retried one is taken from the state and claimed_at read just before.
    """
    if retrying:
        current = Delivery.objects.filter(pk=delivery_id).values("state", "claimed_at").first()
        if current is None:
            return None
        stale = current["state"] == DeliveryState.PENDING and current["claimed_at"] < now - PENDING_TIMEOUT
        if current["state"] != DeliveryState.FAILED and not stale:
            return None
    else:
        current = {"state": DeliveryState.PENDING, "claimed_at": now}

    # Compare-and-set: of the runs that read the same claimed_at, one moves it on.
    taken = Delivery.objects.filter(
        pk=delivery_id, state=current["state"], claimed_at=current["claimed_at"]
    ).update(state=DeliveryState.PENDING, claimed_at=now)
    if not taken:
        return None
    return Delivery.objects.select_related(
        "notification__recipient", "notification__contract__account", "notification__rule"
    ).get(pk=delivery_id)


def _send_one(delivery: Delivery, connection, now: datetime.datetime, summary: RunSummary) -> None:
    notification = delivery.notification
    contract = notification.contract
    recipient = notification.recipient

    stale_reason = _stale_reason(delivery)
    if stale_reason:
        _finish(delivery, DeliveryState.SKIPPED, error=stale_reason)
        summary.emails_skipped += 1
        logger.info("E-mail for notification %s (delivery %s) skipped: %s", notification.pk, delivery.pk, stale_reason)
        return

    message = build_email(delivery, connection)
    attempt = delivery.attempts + 1
    try:
        message.send()
    except _SEND_ERRORS as error:
        # The connection may be broken half-way; the next message opens a fresh one.
        connection.close()
        _finish(delivery, DeliveryState.FAILED, error=f"{type(error).__name__}: {error}")
        summary.emails_failed += 1
        logger.warning(
            "E-mail for notification %s (delivery %s, contract %s, user %s) failed on attempt %s: %s",
            notification.pk, delivery.pk, contract.pk, recipient.pk, attempt, error,
        )
        if attempt >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
            logger.error(
                "E-mail for notification %s (delivery %s) failed %s times; it is not retried again",
                notification.pk, delivery.pk, attempt,
            )
        return

    _finish(delivery, DeliveryState.SENT, sent_at=now)
    summary.emails_sent += 1
    logger.info(
        "E-mail for notification %s (delivery %s, contract %s) sent to user %s on attempt %s",
        notification.pk, delivery.pk, contract.pk, recipient.pk, attempt,
    )


def _stale_reason(delivery: Delivery) -> str:
    """Return why the e-mail should no longer go out, or "" when it should."""
    notification = delivery.notification
    contract = notification.contract
    if not notification.recipient.email:
        return NO_EMAIL_ADDRESS
    if not notification.recipient.is_active:
        return "The user is no longer active."
    if contract.status != ContractStatus.ACTIVE:
        return "The contract was archived."
    if contract.end_date != notification.end_date:
        return "The contract's end date changed; the new end date gets its own reminders."
    return ""


def _finish(delivery: Delivery, state: str, *, error: str = "", sent_at=None) -> None:
    # Filtered on this run's claim, so a run that lost the delivery to a
    # timeout takeover does not overwrite the other run's outcome.
    fields = {"state": state, "last_error": error[:2000], "sent_at": sent_at}
    if state != DeliveryState.SKIPPED:
        fields["attempts"] = F("attempts") + 1
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING, claimed_at=delivery.claimed_at).update(
        **fields
    )


def build_email(delivery: Delivery, connection=None) -> EmailMessage:
    notification = delivery.notification
    contract = notification.contract
    recipient = notification.recipient
    rule_name = notification.rule.name if notification.rule else "a renewal rule"

    subject = f"Renewal reminder: {contract.name} ({contract.account.name}) ends on {format_date(notification.end_date)}"
    # A header may not contain line breaks, and imported names can.
    subject = " ".join(subject.split())
    body = "\n".join(
        [
            f"Hello {recipient.get_short_name() or recipient.username},",
            "",
            notification.message,
            "",
            f"Open the contract: {settings.SITE_URL}{notification.url}",
            "",
            f"You receive this reminder because of the renewal rule {rule_name}.",
            "Choose how you receive notifications: "
            f"{settings.SITE_URL}{reverse('notifications:settings')}",
        ]
    )
    return EmailMessage(subject=subject, body=body, to=[recipient.email], connection=connection)
