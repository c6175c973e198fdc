from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accountwise.core.soft_delete import LiveManager
from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, quantize_money


class StageKind(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    WON = "won", "Closed won"
    LOST = "lost", "Closed lost"


class OpportunityStatus(models.TextChoices):
    """An opportunity's status, derived from the kind of its stage."""

    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    CLOSED_WON = "closed_won", "Closed won"
    CLOSED_LOST = "closed_lost", "Closed lost"


STATUS_STAGE_KIND = {
    OpportunityStatus.ACTIVE: StageKind.OPEN,
    OpportunityStatus.ON_HOLD: StageKind.ON_HOLD,
    OpportunityStatus.CLOSED_WON: StageKind.WON,
    OpportunityStatus.CLOSED_LOST: StageKind.LOST,
}
STAGE_KIND_STATUS = {kind: status for status, kind in STATUS_STAGE_KIND.items()}


class StageQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(is_retired=False)

    def open(self):
        return self.filter(kind=StageKind.OPEN)

    def of_kind(self, kind: str) -> "Stage":
        return self.get(kind=kind)


class Stage(models.Model):
    """Where an opportunity stands, with the probability that it closes as won.

    "On hold", "Closed won" and "Closed lost" always exist, once each; the open
    stages between them belong to the administrator.
    """

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=StageKind.choices, default=StageKind.OPEN)
    # Percent, 0 to 100.
    probability = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Chance, in percent, that an opportunity at this stage is won.",
    )
    position = models.PositiveIntegerField(default=0)
    # A retired stage keeps its opportunities but is not offered for new ones.
    is_retired = models.BooleanField("retired", default=False)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="stage_probability_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StageKind.values), name="stage_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind=StageKind.OPEN), name="stage_fixed_kind_once"
            ),
            models.CheckConstraint(
                condition=Q(kind=StageKind.OPEN) | Q(is_retired=False),
                name="stage_fixed_kind_not_retired",
            ),
            models.UniqueConstraint("name", name="stage_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_fixed(self) -> bool:
        """Whether this is one of the stages that always exist and cannot be deleted."""
        return self.kind != StageKind.OPEN

    @property
    def status(self) -> str:
        return STAGE_KIND_STATUS[self.kind]


def status_condition(status: str) -> Q | None:
    """Return the condition an opportunity with this status meets; None for an empty status or "all"."""
    if not status or status == "all":
        return None
    return Q(stage__kind=STATUS_STAGE_KIND[status])


class OpportunityQuerySet(models.QuerySet):
    def with_status(self, status: str):
        """Filter by opportunity status; an empty status or "all" keeps everything."""
        condition = status_condition(status)
        return self if condition is None else self.filter(condition)

    def open(self):
        return self.filter(stage__kind=StageKind.OPEN)

    def with_contacts(self):
        """Prefetch the associated contacts with their buying roles, in one query for the selection."""
        links = OpportunityContact.objects.select_related("contact")
        return self.prefetch_related(models.Prefetch("opportunity_contacts", queryset=links))

    def totals(self, within: Q | None = None, **extra) -> dict:
        """Return count, total value and estimated value of the selection in one query.

        `within` totals only the rows that match it. The `extra` aggregates,
        such as counts per status, run in the same query over the whole
        selection and are returned under their names, so a page reads the
        rows once for both.
        """
        weighted = ExpressionWrapper(
            F("value") * F("stage__probability"),
            output_field=DecimalField(max_digits=MONEY_MAX_DIGITS + 3, decimal_places=2),
        )
        zero = Value(Decimal("0"), output_field=DecimalField())
        figures = self.order_by().aggregate(
            count=Count("pk", filter=within),
            total_value=Coalesce(Sum("value", filter=within), zero),
            weighted_percent=Coalesce(Sum(weighted, filter=within), zero),
            **extra,
        )
        return {
            **{name: figures[name] for name in extra},
            "count": figures["count"],
            "total_value": quantize_money(figures["total_value"]),
            "estimated_value": quantize_money(Decimal(figures["weighted_percent"]) / 100),
        }


class Opportunity(models.Model):
    """Potential future business with an account: a proposal, a renewal, an upsell."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="opportunities"
    )
    name = models.CharField(max_length=200)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="opportunities")
    value = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )
    close_date = models.DateField()
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    # Identifier in the system the opportunity was imported from; re-imports match on it.
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

    objects = LiveManager.from_queryset(OpportunityQuerySet)()
    all_objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["close_date", "pk"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="opportunity_value_not_negative"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="opportunity_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "close_date"]),
            models.Index(fields=["stage", "close_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def status(self) -> str:
        return self.stage.status

    @property
    def status_label(self) -> str:
        """The status as its badge shows it: "Active" for an open opportunity, else the stage kind."""
        if self.status == OpportunityStatus.ACTIVE:
            return OpportunityStatus.ACTIVE.label
        return self.stage.get_kind_display()

    @property
    def estimated_value(self) -> Decimal:
        return weighted_value(self.value, self.stage.probability)

    @property
    def is_won(self) -> bool:
        return self.stage.kind == StageKind.WON


def weighted_value(value: Decimal, probability: int) -> Decimal:
    """Return a value weighted by a stage probability in percent, rounded to cents: an estimated value."""
    return quantize_money(value * probability / 100)


class StageChangeQuerySet(models.QuerySet):
    def record(self, changes: list["StageChange"], batch_size: int | None = None) -> list["StageChange"]:
        """Insert stage changes, setting is_first_entry on each, and return them saved.

        The changes must be later than those already recorded for their
        opportunities. Within the batch they are taken in changed_at order. The
        caller must hold a lock on each moved opportunity's row until it commits,
        so that no other transaction records the same first entry meanwhile.
        """
        # A change without from_stage records an opportunity's creation, so it has no earlier entries.
        created = {change.opportunity_id for change in changes if change.from_stage_id is None}
        moved = {change.opportunity_id for change in changes} - created
        entered = set()
        if moved:
            entered = set(
                self.filter(opportunity_id__in=moved, is_first_entry=True).values_list("opportunity_id", "to_stage_id")
            )
        for change in sorted(changes, key=lambda change: change.changed_at):
            entry = (change.opportunity_id, change.to_stage_id)
            change.is_first_entry = entry not in entered
            entered.add(entry)
        return self.bulk_create(changes, batch_size=batch_size)


class StageChange(models.Model):
    """One move of an opportunity into a stage, kept for pipeline analytics.

    The first row of an opportunity has no from_stage: it records the stage the
    opportunity was created at.
    """

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # True on the earliest move of the opportunity into to_stage (by changed_at, then pk), so
    # that reports count the opportunities that reached a stage without COUNT(DISTINCT ...).
    # The default suits a creation row; record() sets it for every other change.
    is_first_entry = models.BooleanField(default=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            # to_stage comes first, so the calibration report reads first entries into open stages from the index alone.
            models.UniqueConstraint(
                fields=["to_stage", "opportunity"],
                condition=Q(is_first_entry=True),
                name="stage_change_first_entry_once",
            ),
        ]
        indexes = [
            models.Index(fields=["opportunity", "changed_at"]),
            models.Index(fields=["to_stage", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} to {self.to_stage}"


class BuyingRole(models.TextChoices):
    """The part a contact plays in one buying decision."""

    DECISION_MAKER = "decision_maker", "Decision maker"
    ECONOMIC_BUYER = "economic_buyer", "Economic buyer"
    TECHNICAL_BUYER = "technical_buyer", "Technical buyer"
    CHAMPION = "champion", "Champion"
    INFLUENCER = "influencer", "Influencer"
    USER = "user", "User"
    GATEKEEPER = "gatekeeper", "Gatekeeper"


class OpportunityContact(models.Model):
    """A contact of the account associated with one of its opportunities, with a buying role."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="opportunity_contacts"
    )
    # Must belong to the opportunity's account; clean() and the actions check it.
    contact = models.ForeignKey(
        "accounts.Contact", on_delete=models.CASCADE, related_name="opportunity_links"
    )
    buying_role = models.CharField(max_length=20, choices=BuyingRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact"], name="opportunity_contact_once"
            ),
            models.CheckConstraint(
                condition=Q(buying_role__in=BuyingRole.values), name="opportunity_contact_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_buying_role_display()}) on {self.opportunity}"

    def clean(self):
        if self.contact_id is None or self.opportunity_id is None:
            return
        if self.contact.account_id != self.opportunity.account_id:
            raise ValidationError({"contact": contact_elsewhere_message(self.contact, self.opportunity)})


def contact_elsewhere_message(contact, opportunity: Opportunity) -> str:
    return (
        f"{contact} is a contact of {contact.account}, not of {opportunity.account}; "
        f"choose a contact of {opportunity.account}."
    )
