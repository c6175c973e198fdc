"""Context for the opportunities section on an account's Details tab.

The account page includes the section with this context. The section view
serves the same partial alone when htmx changes the status filter, and the
summary view serves the header totals after an in-place update.
"""

from django.http import HttpRequest
from django.urls import reverse

from accountwise.contracts.sections import filter_links, page_url, section_expanded, selected_status
from accountwise.opportunities.contact_chart import contact_chart_context
from accountwise.opportunities.models import OpportunityStatus
from accountwise.portfolio.sections import narrow_by_saved_filter, saved_filter_param, section_saved_filters

# Query parameter for the section's status filter on the account page.
STATUS_PARAM = "opportunities"
DEFAULT_STATUS = OpportunityStatus.ACTIVE.value
STATUS_FILTERS = [
    (OpportunityStatus.ACTIVE.value, "Active"),
    (OpportunityStatus.ON_HOLD.value, "On hold"),
    (OpportunityStatus.CLOSED_WON.value, "Closed won"),
    (OpportunityStatus.CLOSED_LOST.value, "Closed lost"),
    ("all", "All"),
]
# Client event sent after an opportunity changes in place; the section header reloads its totals on it.
CHANGED_EVENT = "opportunities-changed"
# Columns of the section's table, for rows that span all of them.
COLUMN_COUNT = 10


def opportunities_section_context(request: HttpRequest, account, can_change: bool) -> dict:
    status = selected_status(request, STATUS_PARAM, STATUS_FILTERS, DEFAULT_STATUS)
    section_url = reverse("opportunities:section", args=[account.pk])
    saved_filters = section_saved_filters(
        request, "opportunities", page_url(request, account), section_url, f"{STATUS_PARAM}={status}"
    )
    opportunities = narrow_by_saved_filter(account.opportunities.with_status(status), saved_filters["chosen"])

    return {
        "opportunities_section": {
            "account": account,
            "can_change": can_change,
            "status": status,
            "filters": filter_links(
                request, account, STATUS_PARAM, STATUS_FILTERS, status, section_url, saved_filters["query"]
            ),
            "saved_filters": saved_filters,
            "opportunities": list(
                opportunities.select_related("stage", "owner", "contract", "plan").with_contacts()
            ),
            "summary": summary_context(account, status, saved_filters["chosen"]),
            "expanded": section_expanded(request, STATUS_PARAM),
            "return_url": return_url(request, account),
            "column_count": COLUMN_COUNT,
            "contact_chart": contact_chart_section_context(account),
        }
    }


def contact_chart_section_context(account) -> dict:
    """Return the section's opportunity contact chart; it reloads on the same event as the summary."""
    return {"account": account, "event": CHANGED_EVENT, **contact_chart_context(account)}


def summary_context(account, status: str, saved_filter=None) -> dict:
    """Return the header figures for one status filter and saved filter: count, total value, estimated value."""
    opportunities = narrow_by_saved_filter(account.opportunities.with_status(status), saved_filter)
    return {
        "account": account,
        "status": status,
        "status_label": "" if status == "all" else dict(STATUS_FILTERS)[status].lower(),
        "totals": opportunities.totals(),
        "event": CHANGED_EVENT,
        "saved_query": f"&{saved_filter_param('opportunities')}={saved_filter.pk}" if saved_filter else "",
    }


def return_url(request: HttpRequest, account) -> str:
    """Return the page that links from a row should lead back to, at the section."""
    return page_url(request, account) + "#opportunities-section"
