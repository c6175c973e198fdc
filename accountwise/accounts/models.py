from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accountwise.core.soft_delete import LiveManager


class AccountType(models.TextChoices):
    NORMAL = "normal", "Normal"
    STRATEGIC = "strategic", "Strategic"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class AccountQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AccountStatus.ACTIVE)

    def archived(self):
        return self.filter(status=AccountStatus.ARCHIVED)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(industry__icontains=text)
            | models.Q(country__icontains=text)
        )


class Account(models.Model):
    """A customer organisation managed as a key account."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_accounts"
    )
    type = models.CharField(max_length=20, choices=AccountType.choices, default=AccountType.NORMAL)
    industry = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
        verbose_name="parent account",
    )
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    # Identifier in the system the account was imported from; re-imports match on it.
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
    history = HistoricalRecords(m2m_fields=[team_members])

    objects = LiveManager.from_queryset(AccountQuerySet)()
    all_objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="account_name_unique_ci"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="account_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=AccountType.values), name="account_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AccountStatus.values), name="account_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="account_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "An account cannot be its own parent."})

        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                raise ValidationError(
                    {"parent": f"{self.parent} is already a subsidiary of {self}; "
                     "choose a parent outside this group."}
                )
            seen.add(node.pk)
            node = node.parent

    @property
    def is_archived(self) -> bool:
        return self.status == AccountStatus.ARCHIVED

    def is_team_member(self, user) -> bool:
        if self.owner_id == user.pk:
            return True
        return self.team_members.filter(pk=user.pk).exists()


class ContactRole(models.TextChoices):
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    DECISION_MAKER = "decision_maker", "Decision maker"
    CHAMPION = "champion", "Champion"
    INFLUENCER = "influencer", "Influencer"
    RECOMMENDER = "recommender", "Recommender"
    POINT_OF_CONTACT = "point_of_contact", "Point of contact"


class Sentiment(models.TextChoices):
    """A contact's attitude to working with us, from most to least favourable."""

    ADVOCATE = "advocate", "Advocate"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    CRITIC = "critic", "Critic"
    HOSTILE = "hostile", "Hostile"


class DecisionPower(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ContactQuerySet(models.QuerySet):
    def key_players(self):
        return self.filter(is_key_player=True)


class Contact(models.Model):
    """A person at an account; a key player when flagged as important to the relationship."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    is_key_player = models.BooleanField("key player", default=False)
    role = models.CharField(max_length=30, choices=ContactRole.choices, blank=True)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    sentiment = models.CharField(max_length=20, choices=Sentiment.choices, blank=True)
    decision_power = models.CharField(max_length=10, choices=DecisionPower.choices, blank=True)
    # The colleague on our side who looks after the relationship with this contact.
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_relationships",
    )
    last_contact_date = models.DateField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Values of the administrator-defined custom fields, by field key (accountwise.customfields).
    custom_fields = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=ContactRole.values) | models.Q(role=""),
                name="contact_role_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(reports_to=models.F("pk")), name="contact_not_own_manager"
            ),
            models.CheckConstraint(
                condition=models.Q(sentiment__in=Sentiment.values) | models.Q(sentiment=""),
                name="contact_sentiment_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(decision_power__in=DecisionPower.values)
                | models.Q(decision_power=""),
                name="contact_decision_power_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:contact-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def days_since_last_contact(self) -> int | None:
        if self.last_contact_date is None:
            return None
        return (timezone.localdate() - self.last_contact_date).days

    def clean(self):
        if self.reports_to is None:
            return
        if self.reports_to.account_id != self.account_id:
            raise ValidationError({"reports_to": "Choose a contact at the same account."})

        chain = self._reporting_chain(self.reports_to)
        if chain is not None:
            through = f" (through {', '.join(str(c) for c in chain[1:])})" if len(chain) > 1 else ""
            raise ValidationError(
                {"reports_to": f"{self.reports_to} already reports to {self}{through}, so {self} "
                 f"cannot report to {self.reports_to}. Choose someone who does not report to {self}."}
            )

    def _reporting_chain(self, manager: "Contact") -> list["Contact"] | None:
        """Return the contacts from `manager` up to, but not including, this contact.

        That chain exists when `manager` reports to this contact, directly or
        through others; None means `manager` does not, so no loop would form.
        """
        if self.pk is None:
            return None
        chain, seen = [], set()
        node = manager
        # `seen` stops the walk on a loop stored before this check existed, such as one imported.
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return chain
            chain.append(node)
            seen.add(node.pk)
            node = node.reports_to
        return None
