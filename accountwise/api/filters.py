"""Filters of the API lists: the accounts list's own filter, and status filters from the QuerySets."""

import django_filters

from accountwise.accounts.filters import AccountFilter
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.opportunities.models import Opportunity, OpportunityStatus

STATUS_ALL = "all"


class ApiAccountFilter(AccountFilter):
    """The accounts list's filter without its sort, which the API's `ordering` replaces.

    Cursor pages need a plain field order, so the UI's case-insensitive sort cannot apply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("sort")


class ContractFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*ContractStatus.choices, (STATUS_ALL, "All")], method="filter_status",
        help_text="Contract status. Leave it out for all statuses.",
    )
    end_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Contract
        fields = ["status", "account", "owner", "end_date"]

    def filter_status(self, queryset, name: str, value: str):
        return queryset.with_status(value)


class OpportunityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*OpportunityStatus.choices, (STATUS_ALL, "All")], method="filter_status",
        help_text="Opportunity status, from the kind of its stage. Leave it out for all statuses.",
    )
    close_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Opportunity
        fields = ["status", "account", "owner", "stage", "close_date"]

    def filter_status(self, queryset, name: str, value: str):
        return queryset.with_status(value)
