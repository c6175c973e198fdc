"""Saved filters and custom-field filters in an account's contracts and opportunities sections.

A section offers the contract or opportunity filters the user may see. The one
chosen, named by ?contracts_filter=<pk> or ?opportunities_filter=<pk>, narrows
the section's rows with the entity's filterset; the section's status tabs
still choose the status. The section's filterable custom fields narrow the
rows further, from parameters under the section's form prefix
("c-cf_region=North", "o-cf_budget_min=5000").

Both sections share the account page's query string, so every section link
changes only its own section's parameters and keeps the rest of the page's.
"""

from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from accountwise.portfolio.filters import ContractFilter, OpportunityFilter, SectionFilter
from accountwise.portfolio.models import SavedFilter, SavedFilterEntity

_FILTER_CLASSES = {SavedFilterEntity.CONTRACTS: ContractFilter, SavedFilterEntity.OPPORTUNITIES: OpportunityFilter}
# Parameters of a saved filter that the section decides itself.
_SECTION_PARAMS = ("status", "sort", "page", "saved")
# Form prefix of each section's custom-field filters.
FILTER_PREFIXES = {SavedFilterEntity.CONTRACTS: "c", SavedFilterEntity.OPPORTUNITIES: "o"}


def saved_filter_param(entity: str) -> str:
    return f"{entity}_filter"


def is_section_param(entity: str, key: str) -> bool:
    """Return whether a query parameter belongs to the entity's section.

    Those are its status, named after the entity ("contracts=archived"), its
    saved filter and its custom-field filters.
    """
    return key in (entity, saved_filter_param(entity)) or key.startswith(f"{FILTER_PREFIXES[entity]}-")


def section_params(params: QueryDict, entity: str) -> QueryDict:
    """Return the section's own parameters out of the page's."""
    own = QueryDict(mutable=True)
    for key, values in params.lists():
        if is_section_param(entity, key):
            own.setlist(key, values)
    return own


def section_link(page_url: str, section_url: str, entity: str, params: QueryDict) -> dict:
    """Return a link to the page with params: its href, and the htmx URL of the section alone."""
    return {
        "href": f"{urlsplit(page_url).path}?{params.urlencode()}",
        "hx_url": f"{section_url}?{section_params(params, entity).urlencode()}",
    }


def chosen_saved_filter(request: HttpRequest, entity: str, menu: list[SavedFilter]) -> SavedFilter | None:
    chosen = request.GET.get(saved_filter_param(entity), "")
    return next((saved for saved in menu if str(saved.pk) == chosen), None)


def section_saved_filters(request: HttpRequest, entity: str, page_url: str, section_url: str) -> dict:
    """Return the section's saved-filter menu: each filter's page link and htmx link, and the chosen one.

    page_url is the page the section is on, with the section's parameters.
    """
    param = saved_filter_param(entity)
    menu = list(SavedFilter.objects.visible_to(request.user).for_entity(entity).in_menu_order())
    chosen = chosen_saved_filter(request, entity, menu)

    links = []
    for saved in [None, *menu]:
        params = QueryDict(urlsplit(page_url).query, mutable=True)
        params.pop(param, None)
        if saved is not None:
            params[param] = str(saved.pk)
        links.append({
            "filter": saved,
            "label": saved.name if saved else "No saved filter",
            "active": saved == chosen,
            **section_link(page_url, section_url, entity, params),
        })
    return {"param": param, "chosen": chosen, "links": links}


def section_filter(request: HttpRequest, entity: str, queryset: QuerySet, saved: SavedFilter | None) -> SectionFilter:
    """Return the section's custom-field filterset over the rows the saved filter keeps. Its .qs is the rows shown.

    The section, its header figures and its export all start here, so the
    file contains exactly the rows of the section.
    """
    return SectionFilter(
        request.GET,
        queryset=narrow_by_saved_filter(queryset, saved),
        entity=_FILTER_CLASSES[entity].entity,
        prefix=FILTER_PREFIXES[entity],
    )


def section_filter_form(filterset: SectionFilter, entity: str, page_url: str, section_url: str) -> dict:
    """Return what the section's filter form shows: its fields, the page's other parameters, and a Clear link.

    The form sends the page's other parameters as hidden inputs, so that
    filtering one section keeps the other's state and this section's status.
    """
    prefix = f"{FILTER_PREFIXES[entity]}-"
    others = QueryDict(urlsplit(page_url).query, mutable=True)
    own_keys = [key for key in others if key.startswith(prefix)]
    is_narrowed = any(value.strip() for key in own_keys for value in others.getlist(key))
    for key in own_keys:
        others.pop(key)

    return {
        "fields": [filterset.form[name] for name in filterset.filters],
        "form": filterset.form,
        "hidden": [(key, value) for key, values in others.lists() for value in values],
        "action": urlsplit(page_url).path,
        "hx_url": section_url,
        "clear": section_link(page_url, section_url, entity, others) if is_narrowed else None,
    }


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
