from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class Entity(models.TextChoices):
    ACCOUNT = "account", "Accounts"
    CONTACT = "contact", "Contacts"
    CONTRACT = "contract", "Contracts"
    OPPORTUNITY = "opportunity", "Opportunities"


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    MONEY = "money", "Money"
    PERCENTAGE = "percentage", "Percentage"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Yes/no"
    CHOICE = "choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    USER = "user", "User"
    URL = "url", "URL"


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
NUMERIC_TYPES = (FieldType.NUMBER, FieldType.MONEY, FieldType.PERCENTAGE)

# Lower-case words joined by single underscores. A double underscore would split
# the key in Django's lookups (custom_fields__<key>__gte), so it is never allowed.
KEY_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
KEY_MAX_LENGTH = 40


class CustomFieldQuerySet(models.QuerySet):
    def for_entity(self, entity: str):
        return self.filter(entity=entity)

    def active(self):
        return self.filter(retired_at__isnull=True)

    def in_order(self):
        return self.order_by("position", "pk")


class CustomField(models.Model):
    """An administrator-defined field on accounts, contacts, contracts or opportunities.

    Values live in each record's `custom_fields` JSON column under the field's key,
    in the shape accountwise.customfields.values documents for each type.
    """

    entity = models.CharField(max_length=20, choices=Entity.choices)
    key = models.CharField(
        max_length=KEY_MAX_LENGTH,
        help_text="The name stored values, filters (cf_<key>), imports and the API use. "
                  "Lower-case letters, digits and single underscores; it cannot change later.",
    )
    label = models.CharField(max_length=100)
    field_type = models.CharField("type", max_length=20, choices=FieldType.choices)
    required = models.BooleanField(
        default=False,
        help_text="Records must have a value when they are created or edited. "
                  "Records saved before stay valid until someone edits them.",
    )
    # The options of a single or multiple choice field, as shown and stored.
    choices = models.JSONField(default=list, blank=True)
    help_text = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    show_in_list = models.BooleanField(
        "show as list column", default=False, help_text="Show the field as a column in lists and exports."
    )
    filterable = models.BooleanField(default=False, help_text="Offer the field as a filter on lists.")
    # A retired field disappears from forms, pages, lists and filters; stored values stay.
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomFieldQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="customfield_key_unique"),
            models.UniqueConstraint("entity", Lower("label"), name="customfield_label_unique_ci"),
            models.CheckConstraint(
                condition=Q(entity__in=Entity.values), name="customfield_entity_valid"
            ),
            models.CheckConstraint(
                condition=Q(field_type__in=FieldType.values), name="customfield_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(key__regex=KEY_PATTERN), name="customfield_key_format"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="customfield_label_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("customfields:edit", args=[self.pk])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def has_choices(self) -> bool:
        return self.field_type in CHOICE_TYPES

    @property
    def is_numeric(self) -> bool:
        return self.field_type in NUMERIC_TYPES

    @property
    def filter_name(self) -> str:
        return f"cf_{self.key}"

    def retire(self) -> None:
        self.retired_at = timezone.now()
        self.save(update_fields=["retired_at", "updated_at"])

    def restore(self) -> None:
        self.retired_at = None
        self.save(update_fields=["retired_at", "updated_at"])
