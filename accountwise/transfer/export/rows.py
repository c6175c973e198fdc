"""The rows of each exported list, filtered and ordered exactly as the list on screen.

Each function returns the queryset its list starts from, with the filters and
the order of the list. The export reads it with values_list(), naming the
fields its columns read, so the related fields come joined in the same query
and an export runs a single query whatever the number of rows.
"""

from django.db.models import QuerySet

from accountwise.accounts.access import with_parent_shared
from accountwise.accounts.filters import AccountFilter, account_list_queryset


def account_list_rows(accounts: QuerySet, params, *, user) -> QuerySet:
    """Return the accounts list's rows, all pages, for query parameters such as request.GET.

    The parent's name is left out where `user` may not open the parent; None is for the export command.
    """
    return AccountFilter(params, queryset=with_parent_shared(account_list_queryset(accounts), user)).qs


def contract_rows(contracts: QuerySet, status: str) -> QuerySet:
    """Return the contracts section's rows for a contract status, in the section's order."""
    return contracts.with_status(status)


def opportunity_rows(opportunities: QuerySet, status: str) -> QuerySet:
    """Return the opportunities section's rows for an opportunity status, in the section's order."""
    return opportunities.with_status(status)


def contact_rows(contacts: QuerySet) -> QuerySet:
    """Return the rows of the Contacts tab, in its order."""
    return contacts
