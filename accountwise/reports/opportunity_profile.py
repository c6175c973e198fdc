"""Figures of the opportunity profile report, each from one SQL query over a selection of opportunities.

The pipeline is the open opportunities (stage kind "open"), so on-hold and
closed ones are left out of it. The win rate and the average won value count
the opportunities closed with a close date inside the period. The close dates
pushed back count the saves made inside the period.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from accountwise.lib.money import quantize_money
from accountwise.opportunities.models import Opportunity, Stage, StageKind
from accountwise.reports import figures
from accountwise.reports.periods import Period

# The profile page lists this many opportunities with a passed close date, the oldest first.
OVERDUE_LIST_LIMIT = 50
# Accounts the pipeline-by-account table and chart show on the page; the download has all of them.
ACCOUNT_TABLE_LIMIT = 25


@dataclass
class PipelineRow:
    """One group of open opportunities: its label, count, total value and estimated value."""

    label: str
    count: int
    total_value: Decimal
    estimated_value: Decimal
    url: str = ""
    extra: dict = field(default_factory=dict)


def _pipeline_row(label: str, row: dict, url: str = "") -> PipelineRow:
    return PipelineRow(
        label=label,
        count=row["count"],
        total_value=quantize_money(row["total_value"]),
        estimated_value=figures.estimated_value(row["weighted_percent"]),
        url=url,
    )


def pipeline_by_stage(opportunities: QuerySet) -> list[PipelineRow]:
    """Return the open pipeline per open stage, in stage order; a stage in use without any shows 0."""
    grouped = {
        row["stage"]: row
        for row in opportunities.open().order_by().values("stage").annotate(**figures.pipeline_figures())
    }
    stages = Stage.objects.open().filter(Q(is_retired=False) | Q(pk__in=list(grouped)))
    empty = {"count": 0, "total_value": 0, "weighted_percent": 0}
    rows = []
    for stage in stages:
        row = _pipeline_row(stage.name, grouped.get(stage.pk, empty))
        row.extra["probability"] = stage.probability
        rows.append(row)
    return rows


def pipeline_by_close_month(opportunities: QuerySet) -> list[PipelineRow]:
    """Return the open pipeline per month of the expected close date, earliest month first."""
    rows = (
        opportunities.open()
        .order_by()
        .annotate(month=TruncMonth("close_date"))
        .values("month")
        .annotate(**figures.pipeline_figures())
        .order_by("month")
    )
    return [_pipeline_row(row["month"].strftime("%b %Y"), row) for row in rows]


def pipeline_by_owner(opportunities: QuerySet) -> list[PipelineRow]:
    """Return the open pipeline per opportunity owner, the largest total value first."""
    rows = (
        opportunities.open()
        .order_by()
        .values("owner", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(**figures.pipeline_figures())
        .order_by("-total_value", F("owner__username").asc(nulls_last=True))
    )
    return [_pipeline_row(_owner_name(row), row) for row in rows]


def _owner_name(row: dict) -> str:
    if row["owner"] is None:
        return "No owner"
    full_name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
    return full_name or row["owner__username"]


def pipeline_by_account(opportunities: QuerySet) -> list[PipelineRow]:
    """Return the open pipeline per account, the largest total value first."""
    rows = (
        opportunities.open()
        .order_by()
        .values("account", "account__name")
        .annotate(**figures.pipeline_figures())
        .order_by("-total_value", "account__name")
    )
    return [
        _pipeline_row(row["account__name"], row, url=reverse("accounts:detail", args=[row["account"]])) for row in rows
    ]


@dataclass
class WinRate:
    """Opportunities closed in a period: how many were won and lost, and what the won ones were worth."""

    won_count: int
    lost_count: int
    won_value: Decimal
    average_won_value: Decimal | None
    # Percent, one decimal; None when nothing closed in the period.
    win_rate: Decimal | None

    @property
    def closed_count(self) -> int:
        return self.won_count + self.lost_count


def win_rate_in_period(opportunities: QuerySet, period: Period) -> WinRate:
    """Return the win rate and average won value of the opportunities closed within the period.

    An opportunity counts in the period of its close date, both ends included.
    """
    closed = opportunities.filter(
        stage__kind__in=[StageKind.WON, StageKind.LOST],
        close_date__gte=period.start,
        close_date__lte=period.end,
    )
    row = closed.order_by().aggregate(
        won_count=figures.won_count(),
        lost_count=figures.lost_count(),
        won_value=figures.value_sum(figures.WON),
        average_won_value=Avg("value", filter=figures.WON),
        win_rate=figures.win_rate(),
    )
    average = row["average_won_value"]
    return WinRate(
        won_count=row["won_count"],
        lost_count=row["lost_count"],
        won_value=quantize_money(row["won_value"]),
        average_won_value=None if average is None else quantize_money(average),
        win_rate=figures.rounded_rate(row["win_rate"]),
    )


def average_open_age(opportunities: QuerySet, now: datetime.datetime) -> Decimal | None:
    """Return the average age of open opportunities in days since creation, one decimal; None if none."""
    age = ExpressionWrapper(
        Value(now, output_field=DateTimeField()) - F("created_at"), output_field=DurationField()
    )
    average = opportunities.open().order_by().aggregate(age=Avg(age))["age"]
    if average is None:
        return None
    days = Decimal(average.total_seconds()) / 86400
    return days.quantize(Decimal("0.1"))


@dataclass
class Overdue:
    """Open opportunities whose close date has passed: how many, their value, and the oldest of them."""

    count: int
    total_value: Decimal
    estimated_value: Decimal
    opportunities: list


def overdue_opportunities(opportunities: QuerySet, today: datetime.date) -> Overdue:
    overdue = opportunities.open().filter(close_date__lt=today)
    totals = overdue.order_by().aggregate(**figures.pipeline_figures())
    oldest = list(
        overdue.select_related("account", "stage", "owner").order_by("close_date", "pk")[
            :OVERDUE_LIST_LIMIT
        ]
    )
    return Overdue(
        count=totals["count"],
        total_value=quantize_money(totals["total_value"]),
        estimated_value=figures.estimated_value(totals["weighted_percent"]),
        opportunities=oldest,
    )


@dataclass
class Pushes:
    """Saves within a period that moved an opportunity's close date later."""

    push_count: int
    opportunity_count: int


def close_date_pushes(opportunities: QuerySet, period: Period) -> Pushes:
    """Count the saves within the period that moved a close date later, from the change history.

    Each historical row is compared with the row before it of the same
    opportunity; the first row, the creation, has none and never counts.
    """
    history = Opportunity.history.model.objects
    earlier = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    previous_close_date = Subquery(
        earlier.order_by("-history_date", "-history_id").values("close_date")[:1]
    )
    start, end = _period_bounds(period)
    pushes = (
        history.filter(
            id__in=opportunities.order_by().values("pk"),
            history_date__gte=start,
            history_date__lt=end,
        )
        .annotate(previous_close_date=previous_close_date)
        .filter(close_date__gt=F("previous_close_date"))
    )
    row = pushes.order_by().aggregate(
        push_count=Count("history_id"), opportunity_count=Count("id", distinct=True)
    )
    return Pushes(push_count=row["push_count"], opportunity_count=row["opportunity_count"])


def _period_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the first moment of the period and the first moment after it, in local time."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    after = period.end + datetime.timedelta(days=1)
    return start, timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))


def pipeline_totals(opportunities: QuerySet) -> dict:
    """Return count, total value and estimated value of the open pipeline, as portfolio totals do."""
    return opportunities.open().totals()
