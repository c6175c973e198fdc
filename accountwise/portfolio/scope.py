"""The accounts a user is looking at: those they may see, narrowed by their account filter.

The account filter is kept in the session as the query parameters of
AccountScopeFilter, so it stays applied as the user moves around the app
until they change or clear it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict

from accountwise.core.permissions import viewable_accounts
from accountwise.portfolio.filters import AccountScopeFilter

SESSION_KEY = "account_filter"
# Request attribute caching the validated filter, so a page validates it once however often it reads it.
_CACHE_ATTRIBUTE = "_account_filter"


@dataclass(frozen=True)
class Chip:
    """One active criterion of the account filter, as the chip bar shows it."""

    name: str
    label: str
    value: str


def stored_params(request: HttpRequest) -> dict[str, list[str]]:
    """Return the account filter's stored parameters, each a list of values as in a QueryDict."""
    return dict(request.session.get(SESSION_KEY) or {})


def as_query_dict(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, list(values))
    return query


def account_filter(request: HttpRequest) -> AccountScopeFilter:
    """Return the request user's account filter, bound to the stored parameters and validated."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = AccountScopeFilter(
            as_query_dict(stored_params(request)), queryset=viewable_accounts(request.user), request=request
        )
        cached.is_valid()
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached


def filtered_accounts(request: HttpRequest) -> QuerySet:
    """Return the accounts in the request user's current account filter.

    Portfolio views and reports start from this queryset, so the account
    filter chosen on one page applies to all of them.
    """
    if not stored_params(request):
        return viewable_accounts(request.user)
    return account_filter(request).qs


def is_active(request: HttpRequest) -> bool:
    return bool(stored_params(request))


def valid_params(data: QueryDict) -> dict[str, list[str]]:
    """Keep the parameters of data that are valid, non-empty account filter criteria.

    A criterion may span several parameters, such as a range's "<name>_min"
    and "<name>_max", so parameters are matched by filter name or name prefix.
    """
    checked = AccountScopeFilter(data)
    checked.is_valid()
    cleaned = checked.form.cleaned_data
    chosen = {name for name, value in cleaned.items() if _is_set(value)}

    params = {}
    for key in data:
        values = [value for value in data.getlist(key) if value.strip()]
        if values and any(key == name or key.startswith(f"{name}_") for name in chosen):
            params[key] = values
    return params


def store(request: HttpRequest, params: dict[str, list[str]]) -> None:
    """Replace the stored account filter. Storing no criteria at all clears it."""
    if params:
        request.session[SESSION_KEY] = params
    else:
        request.session.pop(SESSION_KEY, None)
    if hasattr(request, _CACHE_ATTRIBUTE):
        delattr(request, _CACHE_ATTRIBUTE)


def merge(request: HttpRequest, data: QueryDict) -> dict[str, list[str]]:
    """Add the valid criteria of data to the stored account filter, replacing those with the same name."""
    params = stored_params(request)
    params.update(valid_params(data))
    store(request, params)
    return params


def remove(request: HttpRequest, name: str) -> None:
    """Remove one criterion, with every parameter that belongs to it."""
    params = {
        key: values for key, values in stored_params(request).items()
        if key != name and not key.startswith(f"{name}_")
    }
    store(request, params)


def clear(request: HttpRequest) -> None:
    store(request, {})


def chips(request: HttpRequest) -> list[Chip]:
    """Describe each active criterion of the account filter, in the order of the filter form."""
    if not stored_params(request):
        return []
    current = account_filter(request)
    cleaned = current.form.cleaned_data
    return [
        Chip(name, str(current.filters[name].label or name), describe_value(current.form[name], value))
        for name, value in cleaned.items()
        if _is_set(value)
    ]


def describe_value(bound_field, value) -> str:
    """Return a filter value as words: the choice label, the object's name, or a range "from – to"."""
    if isinstance(value, slice):
        low, high = (_format(part) for part in (value.start, value.stop))
        if low and high:
            return f"{low} – {high}"
        return f"from {low}" if low else f"up to {high}"
    if isinstance(value, (list, tuple, QuerySet)):
        return ", ".join(describe_value(bound_field, item) for item in value)
    choices = getattr(bound_field.field, "choices", None)
    if choices and not isinstance(value, Model):
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    return _format(value)


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%b %-d, %Y")
    return str(value)


def _is_set(value) -> bool:
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    if isinstance(value, bool):
        return True
    return value not in (None, "", [], ())
