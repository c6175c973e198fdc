"""The permission policy: who may see and change what.

Every view, export and command that touches customer data calls these
functions, and none of them decides access on its own.

Rules:
- Every active user sees every account and what belongs to it.
- Administrators change everything and manage users and configuration.
- Members change the accounts they own or are team members of, and what
  belongs to them (contacts, contracts, opportunities). Any member may
  create a new account, which they then own.
- Administrators and members may import spreadsheets; each imported row
  obeys the rules above. Members see their own imports, administrators all.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_administrator)


def account_of(obj):
    """Return the account an object belongs to: the object itself for an account."""
    from accountwise.accounts.models import Account

    return obj if isinstance(obj, Account) else obj.account


def can_view(user, obj) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_change(user, obj) -> bool:
    if not can_view(user, obj):
        return False
    if is_administrator(user):
        return True

    account = account_of(obj)
    return account.owner_id == user.pk or account.team_members.filter(pk=user.pk).exists()


def can_create_account(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_import(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def require_import(user) -> None:
    if not can_import(user):
        raise PermissionDenied


def viewable_accounts(user):
    from accountwise.accounts.models import Account

    if not (user.is_authenticated and user.is_active):
        return Account.objects.none()
    return Account.objects.all()


def changeable_accounts(user):
    """Return the accounts the user may change, for choosers such as "Create new"."""
    accounts = viewable_accounts(user)
    if is_administrator(user):
        return accounts
    return accounts.filter(Q(owner=user) | Q(team_members=user)).distinct()


def require_view(user, obj):
    """Raise Http404 when the user may not see the object, so its existence is not revealed."""
    if not can_view(user, obj):
        raise Http404
    return obj


def require_change(user, obj):
    """Raise PermissionDenied when the user may see but not change the object."""
    require_view(user, obj)
    if not can_change(user, obj):
        raise PermissionDenied
    return obj


def require_administrator(user) -> None:
    if not is_administrator(user):
        raise PermissionDenied
