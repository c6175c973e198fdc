"""Saved filters in an account's contracts and opportunities sections.

A section offers the contract or opportunity filters the user may see. The one
chosen, named by ?contracts_filter=<pk> or ?opportunities_filter=<pk>, narrows
the section's rows with the entity's filterset; the section's status tabs
still choose the status.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, QueryDict
from django.db.models import QuerySet

from accountwise.portfolio.filters import ContractFilter, OpportunityFilter
from accountwise.portfolio.models import SavedFilter, SavedFilterEntity

_FILTER_CLASSES = {SavedFilterEntity.CONTRACTS: ContractFilter, SavedFilterEntity.OPPORTUNITIES: OpportunityFilter}
# Parameters of a saved filter that the section decides itself.
_SECTION_PARAMS = ("status", "sort", "page", "saved")


def saved_filter_param(entity: str) -> str:
    return f"{entity}_filter"


def chosen_saved_filter(request: HttpRequest, entity: str, menu: list[SavedFilter]) -> SavedFilter | None:
    chosen = request.GET.get(saved_filter_param(entity), "")
    return next((saved for saved in menu if str(saved.pk) == chosen), None)


def section_saved_filters(
    request: HttpRequest, entity: str, page_url: str, section_url: str, status_query: str
) -> dict:
    """Return the section's saved-filter menu: each filter's page link and htmx link, and the chosen one.

    page_url is the page the section is on; status_query ("contracts=active")
    keeps the section's status in the htmx links.
    """
    param = saved_filter_param(entity)
    menu = list(SavedFilter.objects.visible_to(request.user).for_entity(entity).in_menu_order())
    chosen = chosen_saved_filter(request, entity, menu)

    parts = urlsplit(page_url)
    links = []
    for saved in [None, *menu]:
        params = QueryDict(parts.query, mutable=True)
        params.pop(param, None)
        hx_url = f"{section_url}?{status_query}"
        if saved is not None:
            params[param] = str(saved.pk)
            hx_url += f"&{param}={saved.pk}"
        links.append({
            "filter": saved,
            "label": saved.name if saved else "No saved filter",
            "active": saved == chosen,
            "href": f"{parts.path}?{params.urlencode()}",
            "hx_url": hx_url,
        })
    return {"param": param, "chosen": chosen, "links": links, "query": f"&{param}={chosen.pk}" if chosen else ""}


def narrow_by_saved_filter(queryset: QuerySet, saved: SavedFilter | None) -> QuerySet:
    """Apply a saved filter's criteria, except the status and order, which the section keeps."""
    if saved is None:
        return queryset
    params = saved.query_dict
    for key in _SECTION_PARAMS:
        params.pop(key, None)
    return _FILTER_CLASSES[saved.entity](params, queryset=queryset).qs


def saved_filter_for_export(request: HttpRequest, entity: str) -> SavedFilter | None:
    """Return the saved filter an export link names, if the user may see it."""
    pk = request.GET.get(saved_filter_param(entity), "")
    if not pk.isdigit():
        return None
    return SavedFilter.objects.visible_to(request.user).for_entity(entity).filter(pk=int(pk)).first()
