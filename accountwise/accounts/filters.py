"""The accounts list's queryset and its filter definition: search, status, type and sort order."""

import django_filters
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.functional import cached_property

from accountwise.accounts.models import AccountStatus, AccountType
from accountwise.contracts.models import Contract
from accountwise.customfields.filters import custom_field_columns, custom_field_filters, is_filter_value
from accountwise.opportunities.models import Opportunity

STATUS_ALL = "all"
DEFAULT_STATUS = AccountStatus.ACTIVE

# Sort key in the URL -> expressions to order by. A leading "-" on the key reverses them.
# Text sorts ignore case, as people read lists, on SQLite and PostgreSQL alike.
SORT_FIELDS = {
    "name": [Lower("name")],
    "type": [F("type")],
    "owner": [Lower("owner__first_name"), Lower("owner__last_name"), Lower("owner__username")],
    "industry": [Lower("industry")],
    "country": [Lower("country")],
    "updated": [F("updated_at")],
}
DEFAULT_SORT = "name"

SORT_VALUES = [*SORT_FIELDS, *(f"-{key}" for key in SORT_FIELDS)]
STATUS_VALUES = [*AccountStatus.values, STATUS_ALL]


def _count_per_account(queryset: QuerySet) -> Coalesce:
    """Return a subquery counting the queryset's rows for each account of the outer query."""
    counts = (
        queryset.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), Value(0))


def account_list_queryset(accounts: QuerySet) -> QuerySet:
    """Join and count what the accounts list shows of each account: owner, parent and business.

    The list page and its export both filter this queryset with AccountFilter,
    so the file always contains the rows of the page.
    """
    return accounts.select_related("owner", "parent").annotate(
        active_contract_count=_count_per_account(Contract.objects.active()),
        open_opportunity_count=_count_per_account(Opportunity.objects.open()),
    )


class AccountFilter(django_filters.FilterSet):
    """Filter and sort the accounts list. A missing status means active accounts only.

    An unknown status or sort falls back to the default and an unknown type is ignored,
    so an edited or outdated URL still shows a list.
    """

    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(
        choices=[*AccountStatus.choices, (STATUS_ALL, "All")],
        method="filter_status",
        empty_label=None,
    )
    type = django_filters.ChoiceFilter(choices=AccountType.choices, empty_label="All types")
    sort = django_filters.ChoiceFilter(
        choices=[(value, value) for value in SORT_VALUES], method="sort_by", empty_label=None
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("status") not in STATUS_VALUES:
            data["status"] = DEFAULT_STATUS
        if data.get("sort") not in SORT_VALUES:
            data["sort"] = DEFAULT_SORT
        super().__init__(data, *args, **kwargs)
        self.filters.update(custom_field_filters("account"))

    @cached_property
    def custom_columns(self) -> list:
        """The account custom fields shown as list columns, loaded on first use."""
        return custom_field_columns("account")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == STATUS_ALL:
            return queryset
        return queryset.filter(status=value)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        descending = value.startswith("-")
        fields = SORT_FIELDS[value.removeprefix("-")]
        order = [
            field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
            for field in fields
        ]
        # The name and pk that follow keep pages stable when the chosen field ties.
        return queryset.order_by(*order, Lower("name"), "pk")

    @property
    def sort_key(self) -> str:
        return self.form.cleaned_data["sort"]

    @property
    def is_narrowed(self) -> bool:
        """Whether the user chose a search or filter beyond the default active accounts."""
        cleaned = self.form.cleaned_data
        custom = any(is_filter_value(value) for name, value in cleaned.items() if name.startswith("cf_"))
        return bool(cleaned.get("q") or cleaned.get("type") or custom) or cleaned["status"] != DEFAULT_STATUS
