"""Renewal notification rules, the notifications they produce and how each one was delivered."""

import datetime
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import dateformat

# Bounds of a "days before the end date" value: at least a day, at most about ten years.
MIN_DAYS_BEFORE = 1
MAX_DAYS_BEFORE = 3650
MAX_DAYS_BEFORE_VALUES = 10

DEFAULT_OPPORTUNITY_NAME = "Renewal of {contract}"
# Placeholders a renewal opportunity's name pattern may use.
NAME_PLACEHOLDERS = ("contract", "account", "end_date")


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app"
    EMAIL = "email", "E-mail"


class DeliveryState(models.TextChoices):
    # Taken by a run that is sending it now; a run that died leaves it here
    # until the retry timeout passes.
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    # Retried by the next run.
    FAILED = "failed", "Failed"
    # Not sendable, such as an e-mail to a user without an address; never retried.
    SKIPPED = "skipped", "Skipped"


def validate_days_before(days: list) -> None:
    """Raise ValidationError unless `days` is a non-empty list of distinct whole days in range."""
    if not isinstance(days, list) or not days:
        raise ValidationError("Enter at least one number of days before the end date.")
    if len(days) > MAX_DAYS_BEFORE_VALUES:
        raise ValidationError(f"Enter at most {MAX_DAYS_BEFORE_VALUES} numbers of days.")
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int):
            raise ValidationError(f"{day!r} is not a whole number of days.")
        if not MIN_DAYS_BEFORE <= day <= MAX_DAYS_BEFORE:
            raise ValidationError(
                f"Enter days between {MIN_DAYS_BEFORE} and {MAX_DAYS_BEFORE}; {day} is outside that range."
            )
    if len(set(days)) != len(days):
        raise ValidationError("Enter each number of days once.")


def validate_name_pattern(pattern: str) -> None:
    """Raise ValidationError unless the pattern uses only the known placeholders, without formatting."""
    allowed = ", ".join(f"{{{name}}}" for name in NAME_PLACEHOLDERS)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(pattern)]
    except ValueError:
        raise ValidationError(
            f"Check the braces: write a placeholder as {{contract}}, and a literal brace as {{{{ or }}}}."
        ) from None
    for name, spec, conversion in fields:
        if name is None:
            continue
        if name not in NAME_PLACEHOLDERS:
            raise ValidationError(f"{{{name}}} is not a known placeholder; use {allowed}.")
        if spec or conversion:
            raise ValidationError(f"Write {{{name}}} plainly, without ! or : after the name.")


def most_recent_due_day(days_before: list[int], end_date: datetime.date, today: datetime.date) -> int | None:
    """Return the value of `days_before` whose reminder is the latest one due by `today`, or None.

    A reminder for D days is due from end_date - D on. After downtime several
    can be due at once, and only the most recent one counts. So a late run
    sends the 30-day reminder and not a stale 90-day one as well. Nothing is
    due once the end date has passed.
    """
    if end_date < today:
        return None
    days_left = (end_date - today).days
    due = [day for day in days_before if day >= days_left]
    return min(due) if due else None


class RenewalRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class RenewalRule(models.Model):
    """An administrator's rule: who hears about contracts ending, how many days ahead, and how."""

    name = models.CharField(max_length=100)
    # Whole days before a contract's end date at which a reminder is due, largest first.
    days_before = models.JSONField(default=list, validators=[validate_days_before])
    notify_contract_owner = models.BooleanField("contract owner", default=True)
    notify_account_owner = models.BooleanField("account owner", default=False)
    notify_account_team = models.BooleanField("account team", default=False)
    named_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="renewal_rules", verbose_name="named users"
    )
    by_in_app = models.BooleanField("in-app", default=True)
    by_email = models.BooleanField("e-mail", default=True)
    is_active = models.BooleanField("active", default=True)
    # Days before the end date at which a renewal opportunity is created; None creates none.
    opportunity_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_DAYS_BEFORE), MaxValueValidator(MAX_DAYS_BEFORE)],
    )
    # SET_NULL, so that a rule never blocks deleting a stage. Until a stage is
    # chosen again, runs create no opportunity and log a warning.
    opportunity_stage = models.ForeignKey(
        "opportunities.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opportunity_name = models.CharField(
        max_length=200, default=DEFAULT_OPPORTUNITY_NAME, validators=[validate_name_pattern]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RenewalRuleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="renewal_rule_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(by_in_app=True) | Q(by_email=True), name="renewal_rule_has_channel"
            ),
            models.CheckConstraint(
                condition=Q(opportunity_days_before__isnull=True)
                | Q(opportunity_days_before__gte=MIN_DAYS_BEFORE, opportunity_days_before__lte=MAX_DAYS_BEFORE),
                name="renewal_rule_opportunity_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notifications:rule-edit", args=[self.pk])

    @property
    def channels(self) -> list[str]:
        return [channel for channel, on in ((Channel.IN_APP, self.by_in_app), (Channel.EMAIL, self.by_email)) if on]

    @property
    def creates_opportunity(self) -> bool:
        return self.opportunity_days_before is not None

    def opportunity_name_for(self, contract) -> str:
        """Return the name of the renewal opportunity for a contract, from the rule's pattern."""
        values = {
            "contract": contract.name,
            "account": contract.account.name,
            "end_date": dateformat.format(contract.end_date, "M j, Y"),
        }
        try:
            validate_name_pattern(self.opportunity_name)
            name = self.opportunity_name.format(**values)
        except ValidationError:
            # Saved through the form the pattern is valid; one stored otherwise gets the default.
            name = DEFAULT_OPPORTUNITY_NAME.format(**values)
        return name[:200]

    def recipients(self, contract) -> list:
        """Return the active users this rule notifies about a contract, each once, in id order.

        The caller loads the contract with its owner, account owner and team,
        and the rule with its named users, so this runs no query.
        """
        account = contract.account
        users = []
        if self.notify_contract_owner and contract.owner:
            users.append(contract.owner)
        if self.notify_account_owner and account.owner:
            users.append(account.owner)
        if self.notify_account_team:
            users.extend(account.team_members.all())
        users.extend(self.named_users.all())

        unique = {user.pk: user for user in users if user.is_active}
        return [unique[pk] for pk in sorted(unique)]


class OverrideMode(models.TextChoices):
    CUSTOM_DAYS = "custom", "Use other days for this contract"
    OFF = "off", "Off for this contract"


class RenewalOverride(models.Model):
    """A contract's exception to the renewal rules; a contract without one follows the rules."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, related_name="renewal_override"
    )
    mode = models.CharField(max_length=10, choices=OverrideMode.choices)
    # Used in place of each rule's days when mode is CUSTOM_DAYS; empty otherwise.
    days_before = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=OverrideMode.values), name="renewal_override_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.get_mode_display()}"

    def clean(self):
        if self.mode == OverrideMode.CUSTOM_DAYS:
            try:
                validate_days_before(self.days_before)
            except ValidationError as error:
                raise ValidationError({"days_before": error.messages}) from None

    @property
    def is_off(self) -> bool:
        return self.mode == OverrideMode.OFF


class NotificationPreference(models.Model):
    """A user's choice of channels; a user without a row receives every channel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    in_app = models.BooleanField("in the app", default=True)
    email = models.BooleanField("by e-mail", default=True)

    def __str__(self) -> str:
        return f"Notification channels of {self.user}"

    @property
    def channels(self) -> list[str]:
        return [channel for channel, on in ((Channel.IN_APP, self.in_app), (Channel.EMAIL, self.email)) if on]


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """Keep the user's own notifications about contracts whose account the user may still see."""
        from accountwise.core.permissions import viewable_accounts

        return self.filter(recipient=user, contract__account__in=viewable_accounts(user))

    def in_app(self):
        """Keep the notifications that were delivered in the app, which the notification centre lists."""
        return self.filter(deliveries__channel=Channel.IN_APP)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A renewal reminder to one user about one contract, end date, rule and number of days.

    The unique constraint below, with the one on Delivery, makes each
    (contract, rule, days before, end date, recipient, channel) go out once,
    however many runs race for it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="notifications"
    )
    # SET_NULL keeps the notifications of a deleted rule in the users' lists.
    rule = models.ForeignKey(
        RenewalRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    days_before = models.PositiveSmallIntegerField()
    # The contract's end date this reminder is about; a changed end date gets new reminders.
    end_date = models.DateField()
    message = models.CharField(max_length=500)
    # Path of the page the notification links to, on this site.
    url = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "rule", "days_before", "end_date", "recipient"],
                name="notification_once_per_reminder",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """The record of one notification on one channel: its state, attempts and last error."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(max_length=10, choices=DeliveryState.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a run took the delivery for sending; retries compare-and-set on it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="delivery_channel_valid"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"),
        ]
        indexes = [models.Index(fields=["channel", "state"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for notification {self.notification_id}: {self.get_state_display()}"


class RenewalOpportunity(models.Model):
    """The renewal opportunity a rule created for a contract and end date, created once.

    The row stays when its opportunity is deleted, so a deleted renewal
    opportunity is not created again for the same end date.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="renewal_opportunities"
    )
    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal",
    )
    rule = models.ForeignKey(RenewalRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    end_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "renewal opportunities"
        constraints = [
            models.UniqueConstraint(fields=["contract", "end_date"], name="renewal_opportunity_once_per_end_date"),
        ]

    def __str__(self) -> str:
        return f"Renewal of {self.contract} ending {self.end_date}"
