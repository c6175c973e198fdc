"""Context for the contracts section on an account's Details tab.

The account page includes the section with this context, and the section
view serves the same partial alone when htmx changes the section's filters.
The helpers below it serve the opportunities section and views as well.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from accountwise.contracts.models import ContractStatus
from accountwise.core import permissions
from accountwise.portfolio.sections import (
    is_section_param,
    section_filter,
    section_filter_form,
    section_link,
    section_params,
    section_saved_filters,
)

# The section's saved filters and query parameters are named after this entity.
ENTITY = "contracts"
# Query parameter for the section's status filter on the account page.
STATUS_PARAM = ENTITY
DEFAULT_STATUS = ContractStatus.ACTIVE.value
STATUS_FILTERS = [
    (ContractStatus.ACTIVE.value, "Active"),
    (ContractStatus.ARCHIVED.value, "Archived"),
    ("all", "All"),
]


def contracts_section_context(request: HttpRequest, account, can_change: bool) -> dict:
    status = selected_status(request, STATUS_PARAM, STATUS_FILTERS, DEFAULT_STATUS)
    section_url = reverse("contracts:section", args=[account.pk])
    url = section_page_url(request, account, ENTITY)
    saved_filters = section_saved_filters(request, ENTITY, url, section_url)
    filterset = section_filter(request, ENTITY, account.contracts.with_status(status), saved_filters["chosen"])
    contracts = filterset.qs
    rows = list(contracts.select_related("owner", "plan"))

    return {
        "contracts_section": {
            "account": account,
            "can_change": can_change,
            "status": status,
            "filters": filter_links(url, section_url, STATUS_PARAM, STATUS_FILTERS, status),
            "saved_filters": saved_filters,
            "filter_form": section_filter_form(filterset, ENTITY, url, section_url),
            "query": section_query(request, ENTITY, status),
            "contracts": rows,
            # Counted from the rows on screen, so an expired contract hidden by the filter offers nothing.
            "expired_count": sum(1 for contract in rows if contract.is_expired),
            "totals": contracts.totals(),
            "expanded": section_expanded(request, STATUS_PARAM) or bool(section_params(request.GET, ENTITY)),
            "return_url": url + "#contracts-section",
        }
    }


def selected_status(request: HttpRequest, param: str, choices, default: str) -> str:
    """Return the status filter named in the query string, or the default for a missing or unknown one."""
    value = request.GET.get(param, "")
    return value if value in dict(choices) else default


def section_expanded(request: HttpRequest, param: str) -> bool:
    # A section comes up expanded after the user has used its filter, either
    # through htmx or by following a filter link without JavaScript.
    return bool(request.htmx) or param in request.GET


def section_query(request: HttpRequest, entity: str, status: str) -> str:
    """Return the section's own parameters, with its status, for links that must show the same rows.

    The export links and the forms that refresh the section send them.
    """
    params = section_params(request.GET, entity)
    params[entity] = status
    return params.urlencode()


def page_url(request: HttpRequest, account) -> str:
    """Return the path and query of the page that shows the section.

    For an htmx request that is the page the browser is on, not the URL of
    the partial. When htmx does not send it, the account page is used.
    """
    if request.htmx:
        return request.htmx.current_url_abs_path or account.get_absolute_url()
    return request.get_full_path()


def account_section_url(account, entity: str, query: str = "") -> str:
    """Return the account page at the entity's section, with a query string such as "contracts=active"."""
    url = f"{account.get_absolute_url()}?{query}" if query else account.get_absolute_url()
    return f"{url}#{entity}-section"


def section_page_url(request: HttpRequest, account, entity: str) -> str:
    """Return the page's path and query with the section's parameters as the request sends them.

    A section's htmx request carries the section's new parameters, which the
    browser's address does not have yet when a filter form sends them.
    """
    parts = urlsplit(page_url(request, account))
    params = QueryDict(parts.query, mutable=True)
    for key in [key for key in params if is_section_param(entity, key)]:
        params.pop(key)
    params.update(section_params(request.GET, entity))
    return f"{parts.path}?{params.urlencode()}" if params else parts.path


def filter_links(url: str, section_url: str, param: str, choices, selected: str) -> list[dict]:
    """Build the status filter links from the page URL: a page URL for the href and the partial's URL for htmx.

    param is the status parameter, which is named after the section's entity.
    """
    links = []
    for value, label in choices:
        params = QueryDict(urlsplit(url).query, mutable=True)
        params[param] = value
        link = section_link(url, section_url, param, params)
        links.append({"value": value, "label": label, "active": value == selected, **link})
    return links


def safe_next_url(request: HttpRequest) -> str | None:
    """Return the ?next= page a section link came from, when it is on this site."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


def may_change(user, obj) -> bool:
    """Return whether the user may change the object now: the policy allows it and its account is not archived."""
    return permissions.can_change(user, obj) and not permissions.account_of(obj).is_archived


def read_only_response(request: HttpRequest, account) -> HttpResponse:
    """Send the user back to an archived account, which is read-only with everything on it."""
    messages.warning(
        request,
        f"{account} is archived, so its contracts and opportunities cannot be changed. Restore it first.",
    )
    if request.htmx:
        return HttpResponseClientRedirect(account.get_absolute_url())
    return redirect(account)
