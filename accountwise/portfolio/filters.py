"""Filter definitions: the account filter, the contract and opportunity filtersets, and the sections' filters.

The contract and opportunity filtersets serve the portfolio views, the account
sections' saved filters, the exports, the API lists and the reports. Their
account criteria ("account_owner", "account_type", ...) are copies of the
account filter's own, so an account is selected the same way everywhere.
"""

import copy
import datetime

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIterator as FormsModelChoiceIterator
from django.utils import timezone

from accountwise.accounts.models import Account, AccountType
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.contracts.models import status_condition as contract_status_condition
from accountwise.core.forms import StyledFormMixin
from accountwise.core.permissions import viewable_accounts
from accountwise.customfields.filters import custom_field_filters
from accountwise.lib.money import MONEY_MAX_DIGITS
from accountwise.opportunities.models import STATUS_STAGE_KIND, Opportunity, OpportunityStatus, Stage
from accountwise.opportunities.models import status_condition as opportunity_status_condition
from accountwise.users.models import User

STATUS_ALL = "all"
# Choices of the "ends in the next N days" and "closes in the next N days" filters.
WITHIN_DAYS_CHOICES = [("30", "Next 30 days"), ("60", "Next 60 days"), ("90", "Next 90 days")]


class FilterForm(StyledFormMixin, forms.Form):
    """The form of every filterset here, with Bootstrap classes on its widgets."""


class _QueryChoiceIterator(FormsModelChoiceIterator):
    """Read a choice list's rows in one query.

    Django reads choices through queryset.iterator(), which on PostgreSQL
    opens a server-side cursor: three round trips for a list of owners or
    stages that a plain query returns at once.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _FilterChoiceIterator(django_filters.fields.ModelChoiceIterator, _QueryChoiceIterator):
    pass


class _ModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _FilterChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on one related record whose choices are read in one query."""

    field_class = _ModelChoiceField


def _users() -> QuerySet:
    return User.objects.order_by(Lower("first_name"), Lower("last_name"), Lower("username"))


def _parent_accounts(request) -> QuerySet:
    """Return the groups to choose from: those the request's user may see.

    Without a request, as in the export command, every group is offered.
    """
    # Only groups are offered, so the select stays short when there are thousands of accounts.
    groups = Account.objects.filter(subsidiaries__isnull=False).distinct().order_by(Lower("name"))
    if request is None:
        return groups
    return groups.filter(pk__in=viewable_accounts(request.user).values("pk"))


def _viewable_accounts(request) -> QuerySet:
    """Return the accounts the request's user may see, so a hidden account's id is as invalid as a missing one.

    Without a request, as in the export command, every account is offered.
    """
    return Account.objects.all() if request is None else viewable_accounts(request.user)


def _add_filters(filterset: django_filters.FilterSet, filters: dict) -> None:
    """Add filters built at run time, such as custom-field ones, as if they were declared."""
    for name, extra in filters.items():
        extra = copy.deepcopy(extra)
        extra.parent = filterset
        filterset.filters[name] = extra


class AccountScopeFilter(django_filters.FilterSet):
    """The criteria of the account filter: the accounts a user looks at across the app.

    Every criterion is optional, and all the chosen ones must match.
    """

    q = django_filters.CharFilter(method="filter_search", label="Search")
    owner = ModelChoiceFilter(queryset=_users(), label="Owner", empty_label="Any owner")
    team_member = ModelChoiceFilter(
        field_name="team_members", queryset=_users(), label="Team member", empty_label="Anyone"
    )
    type = django_filters.ChoiceFilter(choices=AccountType.choices, label="Type", empty_label="Any type")
    industry = django_filters.CharFilter(lookup_expr="iexact", label="Industry")
    country = django_filters.CharFilter(lookup_expr="iexact", label="Country")
    parent = ModelChoiceFilter(
        queryset=_parent_accounts, label="Parent account", empty_label="Any parent"
    )

    class Meta:
        model = Account
        fields = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        _add_filters(self, custom_field_filters("account"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)


# Labels of the account criteria on contract and opportunity lists, where a bare "Owner" would be ambiguous.
_ACCOUNT_CRITERION_LABELS = {
    "q": "Account search",
    "owner": "Account owner",
    "team_member": "Account team member",
    "type": "Account type",
    "industry": "Account industry",
    "country": "Account country",
    "parent": "Parent account",
}


def _account_criteria() -> dict:
    """Copy the account filter's criteria as filters of a related entity, named "account_<name>"."""
    criteria = {}
    for name, account_filter in AccountScopeFilter.base_filters.items():
        criterion = copy.deepcopy(account_filter)
        criterion.field_name = f"account__{account_filter.field_name}"
        criterion.label = _ACCOUNT_CRITERION_LABELS[name]
        if name == "q":
            criterion.method = "filter_account_search"
        criteria[f"account_{name}"] = criterion
    return criteria


def _filter_account_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(account__in=Account.objects.search(value))


# A base class built from the criteria above, so that they are declared filters:
# the API schema documents declared filters only.
AccountCriteriaFilterSet = type(
    "AccountCriteriaFilterSet",
    (django_filters.FilterSet,),
    {**_account_criteria(), "filter_account_search": _filter_account_search, "__module__": __name__},
)


def account_criteria_params(account_params) -> dict:
    """Turn stored account filter parameters into the "account_"-prefixed ones of a contract or opportunity filter."""
    return {f"account_{key}": value for key, value in account_params.items()}


def _ordered(queryset: QuerySet, expressions: list, descending: bool) -> QuerySet:
    order = [
        expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        for expression in expressions
    ]
    # The pk that follows keeps pages stable when the chosen column ties.
    return queryset.order_by(*order, "-pk" if descending else "pk")


class _BusinessFilter(AccountCriteriaFilterSet):
    """The filters that contracts and opportunities share: owner, value range, account, sort.

    A missing status keeps every status, as the API expects, and the portfolio
    views pass their default themselves. Unknown sort keys are invalid and ignored.
    """

    owner = ModelChoiceFilter(queryset=_users(), label="Owner", empty_label="Any owner")
    value = django_filters.RangeFilter(label="Value")
    account = ModelChoiceFilter(queryset=_viewable_accounts, label="Account")

    # Sort key -> expressions to order by, filled by subclasses. A leading "-" on the key reverses them.
    sort_fields: dict = {}
    entity = ""

    class Meta:
        form = FilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        _add_filters(self, custom_field_filters(self.entity))
        account_filters = custom_field_filters("account", prefix="account__")
        _add_filters(self, {f"account_{name}": extra for name, extra in account_filters.items()})
        self.queryset_any_status = None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Apply every filter, keeping the selection before the status filter for the status counts."""
        cleaned = self.form.cleaned_data
        for name, value in cleaned.items():
            if name not in ("status", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        self.queryset_any_status = queryset

        if "status" in self.filters:
            queryset = self.filters["status"].filter(queryset, cleaned.get("status"))
        if "sort" in self.filters:
            queryset = self.filters["sort"].filter(queryset, cleaned.get("sort"))
        return queryset

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _ordered(queryset, self.sort_fields[value.removeprefix("-")], value.startswith("-"))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value)

    def status_counts(self) -> dict[str, int]:
        """Count the selection per status, ignoring the status filter, in one query."""
        assert self.queryset_any_status is not None, "Evaluate .qs before counting statuses."
        return self.queryset_any_status.order_by().aggregate(**self.status_count_expressions(), all=Count("pk"))

    def totals_and_status_counts(self) -> tuple[dict, dict[str, int]]:
        """Return the totals of the rows shown and the count per status, in one query.

        Both come from one pass over the selection before the status filter,
        which on a large portfolio costs half of totalling and counting apart.
        """
        assert self.queryset_any_status is not None, "Evaluate .qs before counting statuses."
        counts = {**self.status_count_expressions(), "all": Count("pk")}
        within = self.status_condition(self.form.cleaned_data.get("status") or "")
        figures = self.queryset_any_status.totals(within=within, **counts)
        totals = {name: value for name, value in figures.items() if name not in counts}
        return totals, {name: figures[name] for name in counts}

    def status_condition(self, status: str) -> Q | None:
        raise NotImplementedError

    def status_count_expressions(self) -> dict:
        raise NotImplementedError


def _sort_choices(keys) -> list[tuple[str, str]]:
    return [(value, value) for key in keys for value in (key, f"-{key}")]


def _within_days(field: str, days: str) -> Q:
    today = timezone.localdate()
    return Q(**{f"{field}__gte": today, f"{field}__lte": today + datetime.timedelta(days=int(days))})


CONTRACT_SORT_FIELDS = {
    "account": [Lower("account__name")],
    "name": [Lower("name")],
    "value": [F("value")],
    "start_date": [F("start_date")],
    "end_date": [F("end_date")],
    "status": [F("status")],
    "owner": [Lower("owner__first_name"), Lower("owner__last_name"), Lower("owner__username")],
}
CONTRACT_STATUS_CHOICES = [*ContractStatus.choices, (STATUS_ALL, "All")]


class ContractFilter(_BusinessFilter):
    status = django_filters.ChoiceFilter(
        choices=CONTRACT_STATUS_CHOICES, method="filter_status", empty_label=None,
        help_text="Contract status. Leave it out for all statuses.",
    )
    end_date = django_filters.DateFromToRangeFilter(label="End date")
    ends_within = django_filters.ChoiceFilter(
        choices=WITHIN_DAYS_CHOICES, method="filter_ends_within", label="Ends", empty_label="Any time",
        help_text="Active or archived contracts whose end date falls from today to this many days ahead.",
    )
    sort = django_filters.ChoiceFilter(
        choices=_sort_choices(CONTRACT_SORT_FIELDS), method="sort_by", empty_label=None,
        help_text="Column to sort by. A leading - sorts in descending order.",
    )

    sort_fields = CONTRACT_SORT_FIELDS
    entity = "contract"

    class Meta:
        model = Contract
        fields = []
        form = FilterForm

    def filter_ends_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_within_days("end_date", value))

    def status_count_expressions(self) -> dict:
        return {status: Count("pk", filter=Q(status=status)) for status in ContractStatus.values}

    def status_condition(self, status: str) -> Q | None:
        return contract_status_condition(status)


def with_estimated_value(opportunities: QuerySet) -> QuerySet:
    """Annotate each opportunity's value times its stage's probability, in percent, for sorting."""
    weighted = ExpressionWrapper(
        F("value") * F("stage__probability"),
        output_field=DecimalField(max_digits=MONEY_MAX_DIGITS + 3, decimal_places=2),
    )
    return opportunities.annotate(weighted_percent=weighted)


OPPORTUNITY_SORT_FIELDS = {
    "account": [Lower("account__name")],
    "name": [Lower("name")],
    "stage": [F("stage__position")],
    "probability": [F("stage__probability")],
    "value": [F("value")],
    "estimated_value": [F("weighted_percent")],
    "close_date": [F("close_date")],
    "owner": [Lower("owner__first_name"), Lower("owner__last_name"), Lower("owner__username")],
}
OPPORTUNITY_STATUS_CHOICES = [*OpportunityStatus.choices, (STATUS_ALL, "All")]


class OpportunityFilter(_BusinessFilter):
    status = django_filters.ChoiceFilter(
        choices=OPPORTUNITY_STATUS_CHOICES, method="filter_status", empty_label=None,
        help_text="Opportunity status, from the kind of its stage. Leave it out for all statuses.",
    )
    stage = ModelChoiceFilter(
        queryset=Stage.objects.all(), label="Stage", empty_label="Any stage"
    )
    close_date = django_filters.DateFromToRangeFilter(label="Close date")
    closes_within = django_filters.ChoiceFilter(
        choices=WITHIN_DAYS_CHOICES, method="filter_closes_within", label="Closes", empty_label="Any time",
        help_text="Opportunities whose close date falls from today to this many days ahead.",
    )
    sort = django_filters.ChoiceFilter(
        choices=_sort_choices(OPPORTUNITY_SORT_FIELDS), method="sort_by", empty_label=None,
        help_text="Column to sort by. A leading - sorts in descending order.",
    )

    sort_fields = OPPORTUNITY_SORT_FIELDS
    entity = "opportunity"

    class Meta:
        model = Opportunity
        fields = []
        form = FilterForm

    def filter_closes_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_within_days("close_date", value))

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value.removeprefix("-") == "estimated_value":
            queryset = with_estimated_value(queryset)
        return super().sort_by(queryset, name, value)

    def status_count_expressions(self) -> dict:
        return {
            status.value: Count("pk", filter=Q(stage__kind=kind)) for status, kind in STATUS_STAGE_KIND.items()
        }

    def status_condition(self, status: str) -> Q | None:
        return opportunity_status_condition(status)


class SectionFilter(django_filters.FilterSet):
    """The custom-field filters of an account's contracts or opportunities section.

    Both sections sit on the account page, so each binds its parameters under
    its own form prefix, such as "c-cf_region" and "o-cf_budget_min".
    """

    class Meta:
        form = FilterForm

    def __init__(self, data, queryset: QuerySet, *, entity: str, prefix: str):
        super().__init__(data, queryset, prefix=prefix)
        _add_filters(self, custom_field_filters(entity))
