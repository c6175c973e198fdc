from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import QueryDict

from accountwise.core.permissions import is_administrator

NAME_MAX_LENGTH = 100


class SavedFilterEntity(models.TextChoices):
    ACCOUNTS = "accounts", "Accounts"
    CONTRACTS = "contracts", "Contracts"
    OPPORTUNITIES = "opportunities", "Opportunities"


class SavedFilterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the user's own saved filters and the shared ones."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(is_shared=True))

    def for_entity(self, entity: str):
        return self.filter(entity=entity)

    def in_menu_order(self):
        """Shared filters first, then personal ones, each by name."""
        return self.order_by("-is_shared", Lower("name"), "pk")


class SavedFilter(models.Model):
    """A named filter over accounts, contracts or opportunities: personal, or shared with everyone.

    `params` stores the filter's query parameters as lists of strings, as a
    QueryDict stores them: the account filter's for accounts, the portfolio
    view's for contracts and opportunities.
    """

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    entity = models.CharField(max_length=20, choices=SavedFilterEntity.choices)
    # The user who saved it. For a shared filter, that is the administrator who published it.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    is_shared = models.BooleanField(
        "shared with everyone", default=False,
        help_text="Everyone sees a shared filter; only administrators publish, rename or delete shared filters.",
    )
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["-is_shared", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "owner", "entity", Lower("name"), name="saved_filter_name_unique_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(entity__in=SavedFilterEntity.values), name="saved_filter_entity_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="saved_filter_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def query_dict(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for key, values in (self.params or {}).items():
            query.setlist(key, [str(value) for value in (values if isinstance(values, list) else [values])])
        return query

    @property
    def query_string(self) -> str:
        return self.query_dict.urlencode()

    def can_manage(self, user) -> bool:
        """Return whether the user may rename or delete it.

        Users manage their own personal filters, and administrators the shared ones.
        """
        if self.is_shared:
            return is_administrator(user)
        return user.is_authenticated and self.owner_id == user.pk
