"""The permission policy: who may see and change what.

Every view, API view, export, report and command that touches customer data
calls these functions, and none of them decides access on its own.

Roles:
- Administrators see and change everything, and manage users and configuration.
- Account managers change the accounts they own or are team members of, and what
  belongs to them (contacts, contracts, opportunities, plans, documents). Any
  account manager may create a new account, which they then own, and import
  spreadsheets; each imported row obeys these rules. They see their own imports,
  administrators see all.
- Contributors only read. They change no customer data, create no account and
  import nothing. Like every user, they manage their own password, API tokens
  and notification settings.

The organisation's account visibility decides what a user sees:
- "everyone" (the default): every active user sees every account and all that
  belongs to it.
- "team": a user sees an account only as its owner or one of its team members;
  administrators see every account.
An account the user may not see is a 404, never a 403, so that its existence
is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404

from accountwise.core.models import AccountVisibility, Organisation


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_administrator)


def is_contributor(user) -> bool:
    return bool(user.is_authenticated and user.is_contributor)


def organisation_for(user) -> Organisation:
    """Return the organisation settings, read once per user object.

    Django builds request.user afresh for every request, so the settings are
    read once per request, as ModelBackend caches permissions on the user.
    The context processor shares this copy, so a page does not read it twice.
    """
    try:
        return user._organisation_cache
    except AttributeError:
        user._organisation_cache = Organisation.get()
        return user._organisation_cache


def sees_team_accounts_only(user) -> bool:
    """Return whether the user sees only the accounts they own or are a team member of."""
    if is_administrator(user):
        return False
    return organisation_for(user).account_visibility == AccountVisibility.TEAM


def team_visibility_is_on() -> bool:
    """Return whether the organisation shows accounts to their team and administrators only."""
    return Organisation.get().account_visibility == AccountVisibility.TEAM


def may_see_prefetched_account(user, account, *, team_only: bool) -> bool:
    """Return can_view for batch work that loaded the account's team with prefetch_related, without a query.

    `team_only` is team_visibility_is_on(), read once by the caller for the whole batch.
    """
    if not user.is_active:
        return False
    if not team_only or user.is_administrator:
        return True
    return account.owner_id == user.pk or any(member.pk == user.pk for member in account.team_members.all())


def account_of(obj):
    """Return the account an object belongs to: the object itself for an account."""
    from accountwise.accounts.models import Account

    return obj if isinstance(obj, Account) else obj.account


def _is_on_team(user, account) -> bool:
    return account.owner_id == user.pk or account.team_members.filter(pk=user.pk).exists()


def can_view(user, obj) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if not sees_team_accounts_only(user):
        return True
    return _is_on_team(user, account_of(obj))


def can_change(user, obj) -> bool:
    if is_contributor(user) or not can_view(user, obj):
        return False
    # Under team-only visibility, can_view has just checked the team.
    if is_administrator(user) or sees_team_accounts_only(user):
        return True
    return _is_on_team(user, account_of(obj))


def can_create_account(user) -> bool:
    return bool(user.is_authenticated and user.is_active and not user.is_contributor)


def can_import(user) -> bool:
    return can_create_account(user)


def require_writer(user) -> None:
    """Raise PermissionDenied for a contributor, on pages that only create, such as "Create new" ones."""
    if is_contributor(user):
        raise PermissionDenied


def require_import(user) -> None:
    if not can_import(user):
        raise PermissionDenied


def _team_filter(user) -> Q:
    from accountwise.accounts.models import Account

    # A subquery, not a join, so that the queryset needs no distinct() and its annotations stay right.
    memberships = Account.team_members.through.objects.filter(user_id=user.pk).values("account_id")
    return Q(owner=user) | Q(pk__in=memberships)


def viewable_accounts(user):
    """Return the accounts the user may see; lists, totals, search, exports and the API start here.

    The visibility setting is read inside the query, so a list or an export
    costs no extra query for it.
    """
    from accountwise.accounts.models import Account

    if not (user.is_authenticated and user.is_active):
        return Account.objects.none()
    if is_administrator(user):
        return Account.objects.all()
    team_only = Exists(Organisation.objects.filter(account_visibility=AccountVisibility.TEAM))
    return Account.objects.filter(~team_only | _team_filter(user))


def changeable_accounts(user):
    """Return the accounts the user may change, for choosers such as "Create new"."""
    accounts = viewable_accounts(user)
    if is_contributor(user):
        return accounts.none()
    if is_administrator(user):
        return accounts
    return accounts.filter(_team_filter(user))


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
