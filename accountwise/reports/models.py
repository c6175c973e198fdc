from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse


class ReportEntity(models.TextChoices):
    """Records a defined report counts, named as custom field entities are."""

    ACCOUNT = "account", "Accounts"
    CONTRACT = "contract", "Contracts"
    OPPORTUNITY = "opportunity", "Opportunities"
    CONTACT = "contact", "Contacts"


class ChartType(models.TextChoices):
    BAR = "bar", "Bar chart"
    LINE = "line", "Line chart"
    PIE = "pie", "Pie chart"
    TABLE = "table", "Table only"


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    ADMINISTRATORS = "administrators", "Administrators only"


class ReportDefinitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.is_administrator:
            return self
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(visibility=Visibility.EVERYONE)


class ReportDefinition(models.Model):
    """A report an administrator defines: which records, how grouped, which measures, which chart."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    entity = models.CharField("records", max_length=20, choices=ReportEntity.choices)
    # Filter parameters of the entity's filter definition, as a query string contains them:
    # {"status": "active", "value_min": "1000", "cf_region": "North"}; a list for repeated ones.
    filters = models.JSONField(default=dict, blank=True)
    # A shared saved filter of the same records, applied before `filters`; a filter given in
    # both takes the value of `filters`. Deleting the saved filter keeps the report, without it.
    saved_filter = models.ForeignKey(
        "portfolio.SavedFilter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_definitions",
    )
    # A key of accountwise.reports.defined.groupings(entity), such as "stage", "close_month" or "cf:region".
    group_by = models.CharField("group by", max_length=60)
    # Keys of accountwise.reports.defined.MEASURES, in the order of the table's columns.
    measures = models.JSONField(default=list)
    chart_type = models.CharField("chart", max_length=10, choices=ChartType.choices, default=ChartType.BAR)
    visibility = models.CharField(
        "shown to", max_length=20, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["position", Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="reportdefinition_name_unique_ci",
                violation_error_message="A report with this name exists already; choose another name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="reportdefinition_name_not_empty"),
            models.CheckConstraint(
                condition=Q(entity__in=ReportEntity.values), name="reportdefinition_entity_valid"
            ),
            models.CheckConstraint(
                condition=Q(chart_type__in=ChartType.values), name="reportdefinition_chart_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="reportdefinition_visibility_valid"
            ),
            models.CheckConstraint(condition=~Q(group_by=""), name="reportdefinition_group_by_set"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:defined", args=[self.pk])
