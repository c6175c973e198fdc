"""Context for the opportunities section on an account's Details tab.

The account page includes the section with this context. The section view
serves the same partial alone when htmx changes the section's filters, and the
summary view serves the header totals after an in-place update.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accountwise.contracts.sections import (
    filter_links,
    page_url,
    section_expanded,
    section_page_url,
    section_query,
    selected_status,
)
from accountwise.opportunities.contact_chart import contact_chart_context
from accountwise.opportunities.models import OpportunityStatus
from accountwise.portfolio.sections import (
    section_filter,
    section_filter_form,
    section_params,
    section_saved_filters,
)

# The section's saved filters and query parameters are named after this entity.
ENTITY = "opportunities"
# Query parameter for the section's status filter on the account page.
STATUS_PARAM = ENTITY
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
    url = section_page_url(request, account, ENTITY)
    saved_filters = section_saved_filters(request, ENTITY, url, section_url)
    filterset = section_filter(request, ENTITY, account.opportunities.with_status(status), saved_filters["chosen"])
    opportunities = filterset.qs

    return {
        "opportunities_section": {
            "account": account,
            "can_change": can_change,
            "status": status,
            "filters": filter_links(url, section_url, STATUS_PARAM, STATUS_FILTERS, status),
            "saved_filters": saved_filters,
            "filter_form": section_filter_form(filterset, ENTITY, url, section_url),
            "query": section_query(request, ENTITY, status),
            "opportunities": list(
                opportunities.select_related("stage", "owner", "contract", "plan").with_contacts()
            ),
            "summary": summary_context(request, account, status, opportunities),
            "expanded": section_expanded(request, STATUS_PARAM) or bool(section_params(request.GET, ENTITY)),
            "return_url": url + "#opportunities-section",
            "column_count": COLUMN_COUNT,
            "contact_chart": contact_chart_section_context(account),
        }
    }


def contact_chart_section_context(account) -> dict:
    """Return the section's opportunity contact chart; it reloads on the same event as the summary."""
    return {"account": account, "event": CHANGED_EVENT, **contact_chart_context(account)}


def summary_context(request: HttpRequest, account, status: str, opportunities: QuerySet) -> dict:
    """Return the header figures of the section's rows for one status: count, total value, estimated value."""
    return {
        "account": account,
        "status": status,
        "status_label": "" if status == "all" else dict(STATUS_FILTERS)[status].lower(),
        "totals": opportunities.totals(),
        "event": CHANGED_EVENT,
        # The header reloads with the section's parameters, so its figures stay those of the rows shown.
        "query": section_query(request, ENTITY, status),
    }


def return_url(request: HttpRequest, account) -> str:
    """Return the page that links from a row should lead back to, at the section."""
    return page_url(request, account) + "#opportunities-section"
