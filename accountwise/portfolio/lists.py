"""The two portfolio views' definitions and the filtered, sorted rows they show and export.

A portfolio view lists the contracts or opportunities of every account in the
user's account filter, narrowed by the entity's filterset (portfolio.filters).
The page, its totals and its export all start from portfolio_filter(), so the
file contains exactly the rows of the page, all pages.
"""

from dataclasses import dataclass

from django.http import HttpRequest, QueryDict

from accountwise.contracts.models import Contract, ContractStatus
from accountwise.opportunities.models import Opportunity, OpportunityStatus
from accountwise.portfolio.filters import (
    CONTRACT_STATUS_CHOICES,
    OPPORTUNITY_STATUS_CHOICES,
    ContractFilter,
    OpportunityFilter,
)
from accountwise.portfolio.models import SavedFilterEntity
from accountwise.portfolio.scope import filtered_accounts

# Query parameters that choose a page or name the saved filter in use, not rows.
NON_FILTER_PARAMS = ("page", "saved")


@dataclass(frozen=True)
class PortfolioList:
    entity: str
    title: str
    filter_class: type
    model: type
    status_choices: list
    default_status: str
    default_sort: str
    # Columns a header click sorts by, as (the filter's sort key, label) pairs.
    sort_columns: tuple[tuple[str, str], ...]

    def business(self, request: HttpRequest):
        """Return the entity's rows on the accounts in the user's account filter, with what a row shows."""
        rows = self.model.objects.filter(account__in=filtered_accounts(request))
        if self.model is Opportunity:
            return rows.select_related("account", "owner", "stage")
        return rows.select_related("account", "owner")


CONTRACTS = PortfolioList(
    entity=SavedFilterEntity.CONTRACTS,
    title="Contracts",
    filter_class=ContractFilter,
    model=Contract,
    status_choices=CONTRACT_STATUS_CHOICES,
    default_status=ContractStatus.ACTIVE.value,
    default_sort="end_date",
    sort_columns=(
        ("account", "Account"), ("name", "Name"), ("value", "Value"), ("start_date", "Start"),
        ("end_date", "End"), ("status", "Status"), ("owner", "Owner"),
    ),
)

OPPORTUNITIES = PortfolioList(
    entity=SavedFilterEntity.OPPORTUNITIES,
    title="Opportunities",
    filter_class=OpportunityFilter,
    model=Opportunity,
    status_choices=OPPORTUNITY_STATUS_CHOICES,
    default_status=OpportunityStatus.ACTIVE.value,
    default_sort="close_date",
    sort_columns=(
        ("account", "Account"), ("name", "Name"), ("stage", "Stage"), ("probability", "Probability"),
        ("value", "Value"), ("estimated_value", "Estimated value"), ("close_date", "Close date"),
        ("owner", "Owner"),
    ),
)

LISTS = {CONTRACTS.entity: CONTRACTS, OPPORTUNITIES.entity: OPPORTUNITIES}


def with_defaults(portfolio: PortfolioList, params: QueryDict) -> QueryDict:
    """Return the parameters with the view's default status and sort where they are missing or unknown."""
    params = params.copy()
    if params.get("status") not in dict(portfolio.status_choices):
        params["status"] = portfolio.default_status
    sort_keys = {key for key, _ in portfolio.sort_columns}
    if params.get("sort", "").removeprefix("-") not in sort_keys:
        params["sort"] = portfolio.default_sort
    return params


def portfolio_filter(request: HttpRequest, portfolio: PortfolioList, params: QueryDict | None = None):
    """Return the view's filterset over the user's filtered accounts, for request.GET unless params are given."""
    params = with_defaults(portfolio, request.GET if params is None else params)
    return portfolio.filter_class(params, queryset=portfolio.business(request), request=request)


def filter_query(params: QueryDict) -> QueryDict:
    """Return the parameters that define the filter, for saving it or linking to it."""
    query = params.copy()
    for key in NON_FILTER_PARAMS:
        query.pop(key, None)
    for key in [key for key, values in query.lists() if not any(value.strip() for value in values)]:
        query.pop(key)
    return query
