"""Figures of the opportunity contact chart: who is linked to which business, and how it ends.

For each contact: the number of opportunities linked, their total value, the
value won, and the win rate, won ÷ (won + lost), which is undefined (None,
shown as "—") until one of them has closed. The database computes all of
them; the key influencers are picked from its sorted rows.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf

from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, quantize_money
from accountwise.opportunities.models import StageKind

# Up to this many distinct won values mark key influencers (everyone tied with the last one too).
KEY_INFLUENCER_COUNT = 3
# The chart draws at most this many contacts, those with the most won value; the table lists all.
CHART_CONTACT_LIMIT = 12

# Element id of the chart data that json_script writes; one chart per page.
CHART_DATA_ID = "opportunity-contact-chart-data"

_LINK = "opportunity_links__"
_KIND = f"{_LINK}opportunity__stage__kind"
_VALUE = f"{_LINK}opportunity__value"


def _value_sum(condition: Q | None = None) -> Coalesce:
    zero = Value(
        Decimal("0"),
        output_field=DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES),
    )
    return Coalesce(Sum(_VALUE, filter=condition), zero)


def with_opportunity_figures(contacts: QuerySet) -> QuerySet:
    """Annotate contacts with the figures of the opportunities linked to them.

    The figures are opportunity_count and total_value, then a count and a
    value per outcome (won_count, won_value, lost_…, open_…, on_hold_…).
    win_rate is in percent, a float that is None when nothing has closed.
    """
    won = Q(**{_KIND: StageKind.WON})
    lost = Q(**{_KIND: StageKind.LOST})
    open_ = Q(**{_KIND: StageKind.OPEN})
    on_hold = Q(**{_KIND: StageKind.ON_HOLD})
    return contacts.annotate(
        opportunity_count=Count(f"{_LINK}pk"),
        total_value=_value_sum(),
        won_count=Count(f"{_LINK}pk", filter=won),
        lost_count=Count(f"{_LINK}pk", filter=lost),
        open_count=Count(f"{_LINK}pk", filter=open_),
        on_hold_count=Count(f"{_LINK}pk", filter=on_hold),
        won_value=_value_sum(won),
        lost_value=_value_sum(lost),
        open_value=_value_sum(open_),
        on_hold_value=_value_sum(on_hold),
    ).annotate(
        # NULLIF turns "nothing closed" into NULL, so the division yields NULL instead of failing.
        win_rate=Cast(F("won_count"), FloatField())
        * Value(100.0)
        / NullIf(F("won_count") + F("lost_count"), Value(0)),
    )


def chart_rows(account) -> list:
    """Return the account's contacts linked to at least one opportunity, most won value first.

    Each row is a Contact with the figures of with_opportunity_figures and
    is_key_influencer set.
    """
    rows = list(
        with_opportunity_figures(account.contacts.all())
        .filter(opportunity_count__gt=0)
        .order_by("-won_value", "-total_value", "last_name", "first_name", "pk")
    )
    _mark_key_influencers(rows)
    return rows


def _mark_key_influencers(rows: list) -> None:
    """Flag the contacts with the most won value; rows must come sorted by won value, highest first."""
    won_values = sorted({row.won_value for row in rows if row.won_value > 0}, reverse=True)
    threshold = won_values[:KEY_INFLUENCER_COUNT][-1] if won_values else None
    for row in rows:
        row.is_key_influencer = threshold is not None and row.won_value >= threshold


def contact_chart_context(account) -> dict:
    rows = chart_rows(account)
    return {
        "rows": rows,
        "chart_data": chart_data(rows[:CHART_CONTACT_LIMIT]),
        "chart_data_id": CHART_DATA_ID,
        "is_truncated": len(rows) > CHART_CONTACT_LIMIT,
        "chart_limit": CHART_CONTACT_LIMIT,
        "key_influencer_count": sum(1 for row in rows if row.is_key_influencer),
    }


def chart_data(rows: list) -> dict:
    """Return what the chart script draws, one item per contact; amounts as strings, exact."""
    return {
        "kind": "contacts",
        "contacts": [
            {
                "name": row.full_name,
                "opportunities": row.opportunity_count,
                "total_value": str(quantize_money(row.total_value)),
                "won_value": str(quantize_money(row.won_value)),
                "win_rate": None if row.win_rate is None else round(row.win_rate, 1),
                "key_influencer": row.is_key_influencer,
            }
            for row in rows
        ],
    }


def contact_outcome_data(contact) -> dict:
    """Return the chart data of one contact's page: linked value by outcome, from its figures."""
    outcomes = [
        ("Won", contact.won_value, contact.won_count),
        ("Lost", contact.lost_value, contact.lost_count),
        ("Open", contact.open_value, contact.open_count),
        ("On hold", contact.on_hold_value, contact.on_hold_count),
    ]
    return {
        "kind": "outcomes",
        "outcomes": [
            {"label": label, "value": str(quantize_money(value)), "count": count}
            for label, value, count in outcomes
        ],
    }


def contact_page_context(contact) -> dict:
    """Return the chart of a contact's page; `contact` must carry with_opportunity_figures.

    is_key_influencer compares the contact with the rest of its account.
    """
    key_influencers = {row.pk for row in chart_rows(contact.account) if row.is_key_influencer}
    return {
        "is_key_influencer": contact.pk in key_influencers,
        "chart_data": contact_outcome_data(contact),
        "chart_data_id": CHART_DATA_ID,
    }
