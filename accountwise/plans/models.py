from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, NullIf
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


class PlanQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate action_count, done_count, overdue_count and progress.

        progress is the share of actions done, in percent: a float that is
        None for a plan without actions. An overdue action is not done and
        due before today.
        """
        today = timezone.localdate()
        return self.annotate(
            action_count=Count("actions"),
            done_count=Count("actions", filter=Q(actions__done=True)),
            overdue_count=Count("actions", filter=Q(actions__done=False, actions__due_date__lt=today)),
        ).annotate(
            progress=Cast(F("done_count"), FloatField()) * Value(100.0) / NullIf(F("action_count"), Value(0)),
        )

    def in_tab_order(self):
        """Order active plans first, then drafts, then completed ones; each by due date, undated last."""
        status_rank = Case(
            When(status=PlanStatus.ACTIVE, then=Value(0)),
            When(status=PlanStatus.DRAFT, then=Value(1)),
            default=Value(2),
        )
        return self.order_by(status_rank, F("due_date").asc(nulls_last=True), "name", "pk")


class Plan(models.Model):
    """An account plan: an objective, an owner, dates and the actions that achieve it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    objective = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # The business the plan is based on: a contract or an opportunity of the same
    # account, at most one of them, and each has at most one plan.
    contract = models.OneToOneField(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan"
    )
    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="plan_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(contract__isnull=True) | Q(opportunity__isnull=True),
                name="plan_based_on_one_at_most",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = "The due date is before the start date; choose a later due date."
        if self.contract_id and self.opportunity_id:
            errors["contract"] = "A plan is based on a contract or on an opportunity, not on both."
        basis = self.based_on
        if basis is not None and basis.account_id != self.account_id:
            errors["contract" if self.contract_id else "opportunity"] = (
                f"{basis} belongs to {basis.account}, not to {self.account}; "
                f"choose business of {self.account}."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def based_on(self):
        """Return the contract or opportunity the plan is based on, or None."""
        return self.contract or self.opportunity

    @property
    def status_badge_class(self) -> str:
        return _STATUS_BADGE_CLASSES[self.status]


_STATUS_BADGE_CLASSES = {
    PlanStatus.DRAFT: "text-bg-light border",
    PlanStatus.ACTIVE: "text-bg-success",
    PlanStatus.COMPLETED: "text-bg-primary",
}


class PlanAction(models.Model):
    """One step of a plan: what to do, who does it, by when, and whether it is done."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def account(self):
        """Return the plan's account, which the permission policy checks."""
        return self.plan.account

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due_date is not None and self.due_date < timezone.localdate()


def plan_based_on(business) -> Plan | None:
    """Return the plan based on a contract or an opportunity, or None."""
    try:
        return business.plan
    except ObjectDoesNotExist:
        return None
