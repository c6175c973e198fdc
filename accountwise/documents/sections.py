"""Context for the document lists: the account's documents section and Documents tab, and the
documents card of a contract or an opportunity.

Each list costs two queries whatever its length: the documents with what
their rows show, and their counts.
"""

from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from accountwise.contracts.sections import page_url, section_expanded

# Query parameter that opens the documents section on the account's Details tab.
SECTION_PARAM = "documents"


def documents_section_context(request: HttpRequest, account, can_change: bool) -> dict:
    """Return the context of the documents section on the account's Details tab."""
    return_url = _with_param(page_url(request, account), SECTION_PARAM, "open") + "#documents-section"
    context = _list_context(account.documents, account, can_change, return_url, show_owner=True)
    context["expanded"] = section_expanded(request, SECTION_PARAM)
    return {"documents_section": context}


def documents_tab_context(account, can_change: bool) -> dict:
    """Return the context of the account's Documents tab."""
    return_url = reverse("accounts:documents", args=[account.pk])
    return {
        "documents_list": _list_context(account.documents, account, can_change, return_url, show_owner=True)
    }


def documents_card_context(owner, can_change: bool) -> dict:
    """Return the context of the documents card on a contract's or an opportunity's page."""
    return_url = f"{owner.get_absolute_url()}#documents"
    owner_param = "contract" if owner._meta.model_name == "contract" else "opportunity"
    context = _list_context(
        owner.documents, owner.account, can_change, return_url, show_owner=False,
        preselect={owner_param: owner.pk},
    )
    context["owner"] = owner
    return {"documents_card": context}


def _list_context(documents, account, can_change: bool, return_url: str, *, show_owner: bool,
                  preselect: dict | None = None) -> dict:
    query = {**(preselect or {}), "next": return_url}
    return {
        "account": account,
        "documents": list(documents.for_listing()),
        "totals": documents.totals(),
        "can_change": can_change,
        "show_owner": show_owner,
        "return_url": return_url,
        "add_url": f"{reverse('documents:create', args=[account.pk])}?{urlencode(query)}",
    }


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    params = QueryDict(parts.query, mutable=True)
    params[name] = value
    return f"{parts.path}?{params.urlencode()}"
