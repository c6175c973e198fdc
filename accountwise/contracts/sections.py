"""Context for the contracts section on an account's Details tab.

The account page includes the section with this context, and the section
view serves the same partial alone when htmx changes the status filter.
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
from accountwise.portfolio.sections import narrow_by_saved_filter, section_saved_filters

# Query parameter for the section's status filter on the account page.
STATUS_PARAM = "contracts"
DEFAULT_STATUS = ContractStatus.ACTIVE.value
STATUS_FILTERS = [
    (ContractStatus.ACTIVE.value, "Active"),
    (ContractStatus.ARCHIVED.value, "Archived"),
    ("all", "All"),
]


def contracts_section_context(request: HttpRequest, account, can_change: bool) -> dict:
    status = selected_status(request, STATUS_PARAM, STATUS_FILTERS, DEFAULT_STATUS)
    section_url = reverse("contracts:section", args=[account.pk])
    saved_filters = section_saved_filters(
        request, "contracts", page_url(request, account), section_url, f"{STATUS_PARAM}={status}"
    )
    contracts = narrow_by_saved_filter(account.contracts.with_status(status), saved_filters["chosen"])
    rows = list(contracts.select_related("owner", "plan"))

    return {
        "contracts_section": {
            "account": account,
            "can_change": can_change,
            "status": status,
            "filters": filter_links(
                request, account, STATUS_PARAM, STATUS_FILTERS, status, section_url, saved_filters["query"]
            ),
            "saved_filters": saved_filters,
            "contracts": rows,
            # Counted from the rows on screen, so an expired contract hidden by the filter offers nothing.
            "expired_count": sum(1 for contract in rows if contract.is_expired),
            "totals": contracts.totals(),
            "expanded": section_expanded(request, STATUS_PARAM),
            "return_url": page_url(request, account) + "#contracts-section",
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


def page_url(request: HttpRequest, account) -> str:
    """Return the path and query of the page that shows the section.

    For an htmx request that is the page the browser is on, not the URL of
    the partial. When htmx does not send it, the account page is used.
    """
    if request.htmx:
        return request.htmx.current_url_abs_path or account.get_absolute_url()
    return request.get_full_path()


def filter_links(
    request, account, param: str, choices, selected: str, section_url: str, extra_query: str = ""
) -> list[dict]:
    """Build the status filter links: a page URL for the href and the partial's URL for htmx.

    extra_query ("&contracts_filter=3") keeps the section's saved filter in the htmx links.
    """
    parts = urlsplit(page_url(request, account))
    links = []
    for value, label in choices:
        params = QueryDict(parts.query, mutable=True)
        params[param] = value
        links.append(
            {
                "value": value,
                "label": label,
                "active": value == selected,
                "href": f"{parts.path}?{params.urlencode()}",
                "hx_url": f"{section_url}?{param}={value}{extra_query}",
            }
        )
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
