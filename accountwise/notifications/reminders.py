"""Work out which renewal reminders and renewal opportunities are due, and record each once.

Every insert here runs in its own transaction and lets a unique constraint
decide: when two runs (two servers, or a run started while the last one is
still busy) reach the same reminder, one insert wins and the other gets an
IntegrityError and leaves it alone. The loser never sends anything, because
e-mails go out only for deliveries this run inserted or claimed.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import dateformat

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import Contract
from accountwise.core.permissions import may_see_prefetched_account, team_visibility_is_on
from accountwise.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    NotificationPreference,
    OverrideMode,
    RenewalOpportunity,
    RenewalRule,
    most_recent_due_day,
)
from accountwise.opportunities.models import Opportunity, StageKind

logger = logging.getLogger(__name__)

NO_EMAIL_ADDRESS = "The user has no e-mail address."


@dataclass
class RunSummary:
    """Counts from one run of send_notifications, for its output and log."""

    notifications: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    emails_skipped: int = 0
    opportunities: int = 0
    # E-mail deliveries this run inserted or claimed, to send after recording.
    email_delivery_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.notifications} notification{'s' if self.notifications != 1 else ''} created, "
            f"{self.emails_sent} e-mail{'s' if self.emails_sent != 1 else ''} sent, "
            f"{self.emails_failed} failed, {self.emails_skipped} skipped, "
            f"{self.opportunities} renewal opportunit{'ies' if self.opportunities != 1 else 'y'} created"
        )


def format_date(value: datetime.date) -> str:
    return dateformat.format(value, "M j, Y")


def reminder_message(contract: Contract, today: datetime.date) -> str:
    days_left = (contract.end_date - today).days
    when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
    return f"{contract.name} at {contract.account.name} ends {when}, on {format_date(contract.end_date)}."


def record_due(today: datetime.date, now: datetime.datetime, summary: RunSummary) -> None:
    """Record every reminder and renewal opportunity due on `today` that no run recorded yet."""
    rules = list(
        RenewalRule.objects.active().select_related("opportunity_stage").prefetch_related("named_users")
    )
    if not rules:
        return

    recorded = recorded_reminders(today)
    team_only = team_visibility_is_on()
    preferences = {preference.user_id: preference for preference in NotificationPreference.objects.all()}
    renewals = _RenewalOpportunities(today)

    for contract in _candidate_contracts(rules, today):
        override = getattr(contract, "renewal_override", None)
        if override is not None and override.is_off:
            continue
        for rule in rules:
            days = override.days_before if override is not None else rule.days_before
            day = most_recent_due_day(days, contract.end_date, today)
            if day is not None:
                for user in rule.recipients(contract):
                    if (contract.pk, rule.pk, day, contract.end_date, user.pk) in recorded:
                        continue
                    # A named user or contract owner outside the team may not see the account.
                    if not may_see_prefetched_account(user, contract.account, team_only=team_only):
                        continue
                    channels = _channels_for(rule, user, preferences.get(user.pk))
                    _record(contract, rule, day, user, channels, today, now, summary)
            renewals.create_if_due(contract, rule, summary)


def recorded_reminders(today: datetime.date) -> set[tuple]:
    """Return the reminders already recorded for end dates from `today` on, as (contract, rule, days, end date, user) ids.

    Only a shortcut past the inserts: a reminder another run records after
    this query still meets the unique constraint.
    """
    return set(
        Notification.objects.filter(end_date__gte=today).values_list(
            "contract_id", "rule_id", "days_before", "end_date", "recipient_id"
        )
    )


def _candidate_contracts(rules: list[RenewalRule], today: datetime.date):
    """Return the active contracts on active accounts that some rule may concern today."""
    horizon = max(max([*rule.days_before, rule.opportunity_days_before or 0]) for rule in rules)
    # A contract with its own days may look further ahead than any rule.
    in_reach = Q(end_date__lte=today + datetime.timedelta(days=horizon)) | Q(
        renewal_override__mode=OverrideMode.CUSTOM_DAYS
    )
    return (
        Contract.objects.active()
        .filter(account__status=AccountStatus.ACTIVE, end_date__gte=today)
        .filter(in_reach)
        .select_related("owner", "account", "account__owner", "renewal_override")
        .prefetch_related("account__team_members")
        .order_by("end_date", "pk")
    )


def _channels_for(rule: RenewalRule, user, preference: NotificationPreference | None) -> set[str]:
    """Return the channels to record for a user: the rule's, less those the user turned off.

    A user without an e-mail address gets the reminder in the app instead,
    unless they turned the app off, so that the renewal still reaches them.
    """
    wanted = set(preference.channels) if preference else set(Channel.values)
    channels = set(rule.channels) & wanted
    if Channel.EMAIL in channels and not user.email and Channel.IN_APP in wanted:
        channels.add(Channel.IN_APP)
    return channels


def _record(contract, rule, day: int, user, channels: set[str], today, now, summary: RunSummary) -> None:
    if not channels:
        return

    deliveries = []
    if Channel.IN_APP in channels:
        deliveries.append(Delivery(channel=Channel.IN_APP, state=DeliveryState.SENT, attempts=1, sent_at=now))
    if Channel.EMAIL in channels:
        if user.email:
            deliveries.append(Delivery(channel=Channel.EMAIL, state=DeliveryState.PENDING, claimed_at=now))
        else:
            deliveries.append(
                Delivery(channel=Channel.EMAIL, state=DeliveryState.SKIPPED, last_error=NO_EMAIL_ADDRESS)
            )

    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user,
                contract=contract,
                rule=rule,
                days_before=day,
                end_date=contract.end_date,
                message=reminder_message(contract, today),
                url=contract.get_absolute_url(),
            )
            for delivery in deliveries:
                delivery.notification = notification
            Delivery.objects.bulk_create(deliveries)
    except IntegrityError:
        logger.info(
            "Reminder for contract %s, rule %s, %s days, end date %s, user %s was recorded by another run",
            contract.pk, rule.pk, day, contract.end_date, user.pk,
        )
        return

    summary.notifications += 1
    logger.info(
        "Notification %s recorded for contract %s, rule %s, %s days before %s, user %s",
        notification.pk, contract.pk, rule.pk, day, contract.end_date, user.pk,
    )
    for delivery in deliveries:
        if delivery.channel != Channel.EMAIL:
            continue
        if delivery.state == DeliveryState.PENDING:
            summary.email_delivery_ids.append(delivery.pk)
        else:
            summary.emails_skipped += 1
            logger.info(
                "E-mail for notification %s skipped: user %s has no e-mail address", notification.pk, user.pk
            )


class _RenewalOpportunities:
    """Create renewal opportunities for one run, with what earlier runs created loaded once."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.created = set(
            RenewalOpportunity.objects.filter(end_date__gte=today).values_list("contract_id", "end_date")
        )
        # A contract whose renewal is still being worked gets no second
        # opportunity when its end date is corrected.
        self.in_progress = set(
            RenewalOpportunity.objects.filter(
                opportunity__stage__kind__in=[StageKind.OPEN, StageKind.ON_HOLD]
            ).values_list("contract_id", flat=True)
        )

    def create_if_due(self, contract: Contract, rule: RenewalRule, summary: RunSummary) -> None:
        if not rule.creates_opportunity:
            return
        if (contract.end_date - self.today).days > rule.opportunity_days_before:
            return
        if (contract.pk, contract.end_date) in self.created or contract.pk in self.in_progress:
            return

        stage = rule.opportunity_stage
        if stage is None or stage.is_retired or stage.kind != StageKind.OPEN:
            logger.warning(
                "Rule %s has no open stage for renewal opportunities; none created for contract %s",
                rule.pk, contract.pk,
            )
            return

        opportunity = self._create(contract, rule, stage)
        self.created.add((contract.pk, contract.end_date))
        if opportunity is not None:
            self.in_progress.add(contract.pk)
            summary.opportunities += 1

    def _create(self, contract: Contract, rule: RenewalRule, stage) -> Opportunity | None:
        account = contract.account
        try:
            with transaction.atomic():
                link = RenewalOpportunity.objects.create(contract=contract, rule=rule, end_date=contract.end_date)
                opportunity = Opportunity.objects.create(
                    account=account,
                    name=rule.opportunity_name_for(contract),
                    stage=stage,
                    value=contract.value if contract.value is not None else Decimal("0"),
                    close_date=contract.end_date,
                    owner=contract.owner or account.owner,
                    description=(
                        f"Renewal of the contract {contract.name}, which ends on {format_date(contract.end_date)}."
                    ),
                )
                link.opportunity = opportunity
                link.save(update_fields=["opportunity"])
        except IntegrityError:
            logger.info(
                "Renewal opportunity for contract %s ending %s was created by another run",
                contract.pk, contract.end_date,
            )
            return None

        logger.info(
            "Renewal opportunity %s created for contract %s ending %s by rule %s",
            opportunity.pk, contract.pk, contract.end_date, rule.pk,
        )
        return opportunity
