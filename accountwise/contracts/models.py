import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accountwise.core.soft_delete import LiveManager
from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, quantize_money


class ContractStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


def status_condition(status: str) -> Q | None:
    """Return the condition a contract with this status meets; None for an empty status or "all"."""
    if not status or status == "all":
        return None
    return Q(status=status)


class ContractQuerySet(models.QuerySet):
    def with_status(self, status: str):
        """Filter by contract status; an empty status or "all" keeps everything."""
        condition = status_condition(status)
        return self if condition is None else self.filter(condition)

    def active(self):
        return self.filter(status=ContractStatus.ACTIVE)

    def expired(self, today: datetime.date):
        """Keep active contracts whose end date is before `today`: due to be renewed or archived."""
        return self.active().filter(end_date__lt=today)

    def totals(self, within: Q | None = None, **extra) -> dict:
        """Return the count and total value of the selection in one query.

        `within` totals only the rows that match it. The `extra` aggregates run
        in the same query over the whole selection and are returned under
        their names.
        """
        figures = self.order_by().aggregate(
            count=Count("pk", filter=within),
            total_value=Coalesce(Sum("value", filter=within), Value(Decimal("0"), output_field=DecimalField())),
            **extra,
        )
        return {
            **{name: figures[name] for name in extra},
            "count": figures["count"],
            "total_value": quantize_money(figures["total_value"]),
        }


class Contract(models.Model):
    """Existing business: what the customer buys today."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="contracts"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    value = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    # The won opportunity this contract was created from, if any.
    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract",
    )
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Values of the administrator-defined custom fields, by field key (accountwise.customfields).
    custom_fields = models.JSONField(default=dict, blank=True)
    # Set when a user deletes the record; an administrator may restore it until it is purged.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = LiveManager.from_queryset(ContractQuerySet)()
    all_objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="contract_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="contract_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="contract_external_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["account", "status", "end_date"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date is before the start date; choose a later end date."}
            )

    @property
    def is_archived(self) -> bool:
        return self.status == ContractStatus.ARCHIVED

    @property
    def is_expired(self) -> bool:
        """Whether the contract is still active although its end date has passed, in local time."""
        return (
            self.status == ContractStatus.ACTIVE
            and self.end_date is not None
            and self.end_date < timezone.localdate()
        )
