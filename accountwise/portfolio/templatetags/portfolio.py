"""The account filter's chip bar and the saved-filter menu."""

from django import template

from accountwise.portfolio import scope
from accountwise.portfolio.models import SavedFilter, SavedFilterEntity

register = template.Library()

# Pages that list what the account filter narrows, by URL namespace; the accounts list is added by name.
_NAMESPACES_WITH_ACCOUNT_FILTER = {"portfolio", "reports"}


def _shows_account_filter(context) -> bool:
    if context.get("show_account_filter"):
        return True
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not request.user.is_authenticated:
        return False
    if match.namespace == "portfolio":
        return match.url_name in ("contracts", "opportunities")
    return match.namespace in _NAMESPACES_WITH_ACCOUNT_FILTER or match.view_name == "accounts:list"


@register.inclusion_tag("portfolio/_account_filter_bar.html", takes_context=True)
def account_filter_bar(context):
    """Render the active account filter as chips with remove buttons, on the pages it narrows."""
    if not _shows_account_filter(context):
        return {"visible": False}
    request = context["request"]
    saved_filters = SavedFilter.objects.visible_to(request.user).for_entity(SavedFilterEntity.ACCOUNTS)
    return {
        "visible": True,
        "chips": scope.chips(request),
        "saved_filters": list(saved_filters.in_menu_order()),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
