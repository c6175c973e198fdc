"""Filters of the API lists: the accounts list's own filter, and the portfolio views' filters."""

from accountwise.accounts.filters import AccountFilter
from accountwise.portfolio import filters as portfolio_filters


class ApiAccountFilter(AccountFilter):
    """The accounts list's filter without its sort, which the API's `ordering` replaces.

    Cursor pages need a plain field order, so the UI's case-insensitive sort cannot apply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("sort")


class ContractFilter(portfolio_filters.ContractFilter):
    """The contracts portfolio view's filter: status, dates, owner, value, account criteria, custom fields.

    A missing status keeps every status. The view's sort is left out, here and
    in the schema, because the API's `ordering` replaces it.
    """


class OpportunityFilter(portfolio_filters.OpportunityFilter):
    """The opportunities portfolio view's filter, without its sort, as for contracts."""


# Each FilterSet class has its own base_filters, so this leaves the portfolio views' sort in place.
ContractFilter.base_filters.pop("sort")
OpportunityFilter.base_filters.pop("sort")
