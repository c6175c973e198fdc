"""The rows of each exported list, filtered and ordered exactly as the list on screen.

Each function starts from the queryset its list starts from and joins every
related object a column reads, so an export runs a single query whatever the
number of rows.
"""

from django.db.models import QuerySet

from accountwise.accounts.filters import AccountFilter, account_list_queryset


def account_list_rows(accounts: QuerySet, params) -> QuerySet:
    """Return the accounts list's rows, all pages, for query parameters such as request.GET."""
    return AccountFilter(params, queryset=account_list_queryset(accounts)).qs


def contract_rows(contracts: QuerySet, status: str) -> QuerySet:
    """Return the contracts section's rows for a contract status, in the section's order."""
    return contracts.with_status(status).select_related("account", "owner")


# The fields that the opportunity columns read. Loading no others (timestamps, descriptions,
# the owner's password) made reading 40,000 rows about a third faster (SQLite, measured with
# benchmarks/transfer_benchmark.py's data). A column that reads another field must add it
# here, or each row costs one more query, which the export query-count tests catch.
OPPORTUNITY_FIELDS = (
    "name", "value", "close_date", "external_id",
    "account__name", "stage__name", "stage__probability", "stage__kind",
    "owner__username", "owner__first_name", "owner__last_name",
)


def opportunity_rows(opportunities: QuerySet, status: str) -> QuerySet:
    """Return the opportunities section's rows for an opportunity status, in the section's order."""
    return opportunities.with_status(status).select_related("account", "stage", "owner").only(*OPPORTUNITY_FIELDS)


def contact_rows(contacts: QuerySet) -> QuerySet:
    """Return the rows of the Contacts tab, in its order."""
    return contacts.select_related("account", "reports_to")
