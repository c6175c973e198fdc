"""Template tags and filters used on every page; installed as builtins."""

from django import template
from django.utils.html import format_html

from accountwise.lib.money import format_money, format_money_short

register = template.Library()

_STATUS_BADGES = {
    "active": "text-bg-success",
    "archived": "text-bg-secondary",
    "on_hold": "text-bg-warning",
    "closed_won": "text-bg-primary",
    "closed_lost": "text-bg-danger",
}


def _currency(context) -> str:
    organisation = context.get("organisation")
    return organisation.currency if organisation else "USD"


@register.simple_tag(takes_context=True)
def money(context, amount, short=False):
    """Format an amount in the organisation's currency; "—" when there is none."""
    if short:
        return format_money_short(amount, _currency(context))
    return format_money(amount, _currency(context))


@register.simple_tag
def status_badge(status, label):
    css = _STATUS_BADGES.get(status, "text-bg-light")
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with some parameters replaced or removed.

    A parameter set to None or "" is removed; changing any filter resets the page.
    """
    request = context["request"]
    params = request.GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def percent(value):
    return "—" if value is None else f"{value} %"
