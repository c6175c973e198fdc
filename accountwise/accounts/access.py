"""Fetch an account, or something on it, and authorise the user in one step.

Views call these instead of filtering by hand: an object the user may not see
is a 404, one the user may see but not change is a 403.
"""

from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from accountwise.accounts.models import Account
from accountwise.core.permissions import require_change, require_view, viewable_accounts


def parent_shared_condition(user):
    """Return a condition on accounts: the account has a parent and the user may open it.

    Under team-only visibility a user may work a subsidiary of a group they
    cannot see. A user of None, as in management commands, may open every
    parent.
    """
    if user is None:
        return ExpressionWrapper(Q(parent__isnull=False), output_field=BooleanField())
    return Exists(viewable_accounts(user).filter(pk=OuterRef("parent_id")))


def with_parent_shared(accounts: QuerySet, user) -> QuerySet:
    """Annotate whether the user may open each account's parent, and the parent's name only where they may.

    `parent_is_shared` is False for a parent the user may not open, and False
    without a parent. `shared_parent_name` is empty in both cases.
    """
    shared = parent_shared_condition(user)
    return accounts.annotate(parent_is_shared=shared).annotate(
        shared_parent_name=Case(When(parent_is_shared=True, then=F("parent__name")), default=Value(""))
    )


def get_account_for_user(user, pk: int, *, change: bool = False) -> Account:
    accounts = with_parent_shared(Account.objects.select_related("owner", "parent"), user)
    account = get_object_or_404(accounts, pk=pk)
    return require_change(user, account) if change else require_view(user, account)


def get_for_user(queryset, user, pk: int, *, change: bool = False):
    """Fetch an object that has an `account` (contact, contract, opportunity) and authorise it."""
    obj = get_object_or_404(queryset.select_related("account", "account__owner"), pk=pk)
    # What is on a deleted account is hidden with it, as the account itself is.
    if obj.account.deleted_at is not None:
        raise Http404
    return require_change(user, obj) if change else require_view(user, obj)
