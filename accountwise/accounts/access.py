"""Fetch an account, or something on it, and authorise the user in one step.

Views call these instead of filtering by hand: an object the user may not see
is a 404, one the user may see but not change is a 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accountwise.accounts.models import Account
from accountwise.core.permissions import require_change, require_view


def get_account_for_user(user, pk: int, *, change: bool = False) -> Account:
    account = get_object_or_404(Account.objects.select_related("owner", "parent"), pk=pk)
    return require_change(user, account) if change else require_view(user, account)


def get_for_user(queryset, user, pk: int, *, change: bool = False):
    """Fetch an object that has an `account` (contact, contract, opportunity) and authorise it."""
    obj = get_object_or_404(queryset.select_related("account", "account__owner"), pk=pk)
    # What is on a deleted account is hidden with it, as the account itself is.
    if obj.account.deleted_at is not None:
        raise Http404
    return require_change(user, obj) if change else require_view(user, obj)
