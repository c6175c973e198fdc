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


@register.inclusion_tag("core/_row_action_form.html", takes_context=True)
def row_action(
    context, action, icon, label, title, *, text="", direction="", danger=False, confirm="", disabled=False
):
    """Render a button in a table row's actions that posts to the URL `action`.

    `icon` is a Bootstrap icon name without "bi-", and `label` the button's accessible name.
    `text` is shown beside the icon, and `direction` is a hidden field's value. `confirm` is the
    question that accountwise.js asks in a confirmation dialog before the form is posted.
    """
    return {
        "csrf_token": context.get("csrf_token"),
        "action": action,
        "icon": icon,
        "label": label,
        "title": title,
        "text": text,
        "direction": direction,
        "danger": danger,
        "confirm": confirm,
        "disabled": disabled,
    }


@register.inclusion_tag("core/_row_move_forms.html", takes_context=True)
def row_move_buttons(context, action, name, pk, *, first_pk, last_pk):
    """Render the "Move up" and "Move down" buttons of row `pk`, which post a direction to the URL `action`.

    The row whose primary key is `first_pk` cannot move up, and the one at `last_pk` cannot move down.
    """
    return {
        "csrf_token": context.get("csrf_token"),
        "action": action,
        "up_label": f"Move {name} up",
        "down_label": f"Move {name} down",
        "first": pk == first_pk,
        "last": pk == last_pk,
    }
