"""The accounts a user is looking at: those they may see, narrowed by their account filter."""

from accountwise.core.permissions import viewable_accounts


def filtered_accounts(request):
    """Return the accounts in the request user's current account filter.

    Portfolio views and reports start from this queryset, so the account
    filter chosen on one page applies to all of them.
    """
    return viewable_accounts(request.user)
