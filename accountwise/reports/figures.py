"""Aggregate expressions shared by every report, so each figure means the same everywhere.

The expressions follow OpportunityQuerySet.totals(): the database sums value ×
probability in percent, and estimated_value() divides by 100 and rounds to
cents, so a report's totals agree with the portfolio totals to the cent.
"""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, quantize_money
from accountwise.opportunities.models import StageKind

MONEY_FIELD = DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
# value × probability in percent needs three more digits than an amount.
WEIGHTED_FIELD = DecimalField(max_digits=MONEY_MAX_DIGITS + 3, decimal_places=MONEY_DECIMAL_PLACES)

WON = Q(stage__kind=StageKind.WON)
LOST = Q(stage__kind=StageKind.LOST)
OPEN = Q(stage__kind=StageKind.OPEN)


def zero() -> Value:
    return Value(Decimal("0"), output_field=MONEY_FIELD)


def value_sum(condition: Q | None = None, field: str = "value") -> Coalesce:
    """Sum of amounts, 0 rather than NULL when no row matches."""
    return Coalesce(Sum(field, filter=condition), zero(), output_field=MONEY_FIELD)


def weighted(prefix: str = "") -> ExpressionWrapper:
    """Multiply an opportunity's value by its stage probability, giving percent of an amount."""
    return ExpressionWrapper(
        F(f"{prefix}value") * F(f"{prefix}stage__probability"), output_field=WEIGHTED_FIELD
    )


def weighted_sum(condition: Q | None = None, prefix: str = "") -> Coalesce:
    """Sum of value × stage probability, in percent of an amount; estimated_value() converts it."""
    return Coalesce(
        Sum(weighted(prefix), filter=condition),
        Value(Decimal("0"), output_field=WEIGHTED_FIELD),
        output_field=WEIGHTED_FIELD,
    )


def estimated_value(weighted_percent) -> Decimal:
    return quantize_money(Decimal(weighted_percent) / 100)


def won_count(prefix: str = "") -> Count:
    return Count(f"{prefix}pk", filter=Q(**{f"{prefix}stage__kind": StageKind.WON}))


def lost_count(prefix: str = "") -> Count:
    return Count(f"{prefix}pk", filter=Q(**{f"{prefix}stage__kind": StageKind.LOST}))


def win_rate(won=None, lost=None):
    """Won ÷ (won + lost) in percent, as a float; NULL when nothing has closed.

    `won` and `lost` are count expressions, by default over the opportunities
    of the queryset. NULLIF turns a zero denominator into NULL, so the
    division yields NULL instead of failing, and the page shows "—".
    """
    won = won if won is not None else won_count()
    lost = lost if lost is not None else lost_count()
    return Cast(won, FloatField()) * Value(100.0) / NullIf(won + lost, Value(0))


def pipeline_figures(prefix: str = "") -> dict:
    """Count, total value and weighted value, for annotate() or aggregate()."""
    return {
        "count": Count(f"{prefix}pk"),
        "total_value": value_sum(field=f"{prefix}value"),
        "weighted_percent": weighted_sum(prefix=prefix),
    }


def rounded_rate(rate: float | None) -> Decimal | None:
    """Round a win rate in percent to one decimal for display and export; None stays None."""
    if rate is None:
        return None
    return Decimal(str(rate)).quantize(Decimal("0.1"))
