"""Figures of the opportunity profile report over a selection of opportunities.

The pipeline is the open opportunities (stage kind "open"), so on-hold and
closed ones are left out of it. Its tables by stage, close month and owner,
its totals, the overdue totals and the average age come from one grouped
query (OpenPipeline); the pipeline by account, the overdue list, the win
rate and the close dates pushed back take one query each. The win rate and the average won value count
the opportunities closed with a close date inside the period. The close dates
pushed back count the saves made inside the period.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils import timezone

from accountwise.accounts.models import Account
from accountwise.lib.money import quantize_money
from accountwise.opportunities.models import Opportunity, Stage, StageKind
from accountwise.reports import figures
from accountwise.reports.periods import Period
from accountwise.users.models import User

# The profile page lists this many opportunities with a passed close date, the oldest first.
OVERDUE_LIST_LIMIT = 50
# Accounts the pipeline-by-account table and chart show on the page; the download has all of them.
ACCOUNT_TABLE_LIMIT = 25


class MonthStart(Func):
    """The first day of a date's month, as a date.

    TruncMonth of a date on PostgreSQL converts it to a timestamp with time
    zone first and returns one, which costs about 10% of the grouped query
    over 100,000 opportunities and a conversion per group in Python.
    """

    arity = 1
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "DATE_TRUNC('month', %(expressions)s::timestamp)::date"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, 'start of month')", **extra_context)


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


# The sums of each group that the tables add up.
PIPELINE_SUMS = ("count", "total_value", "weighted_percent")
# Those the totals also add up: the age, and the part of the group whose close date has passed.
ALL_SUMS = (*PIPELINE_SUMS, "age", "overdue_count", "overdue_total_value", "overdue_weighted_percent")


class OpenPipeline:
    """The open opportunities of a selection, read in one query for every pipeline table.

    The query groups the open opportunities by stage, month of the close date
    and owner, and sums each group in SQL, with the overdue part apart. The
    tables by stage, by close month and by owner, the totals, the overdue
    totals and the average age then add up those few thousand groups, so the
    report reads the opportunities once instead of once per table.
    """

    def __init__(self, opportunities: QuerySet, today: datetime.date, now: datetime.datetime):
        self.opportunities = opportunities
        self.today = today
        self.now = now

    @cached_property
    def groups(self) -> list[dict]:
        age = ExpressionWrapper(
            Value(self.now, output_field=DateTimeField()) - F("created_at"), output_field=DurationField()
        )
        overdue = Q(close_date__lt=self.today)
        return list(
            self.opportunities.open()
            .order_by()
            .annotate(month=MonthStart("close_date"))
            .values("stage", "month", "owner")
            .annotate(
                **figures.pipeline_figures(),
                age=Sum(age),
                overdue_count=Count("pk", filter=overdue),
                overdue_total_value=figures.value_sum(overdue),
                overdue_weighted_percent=figures.weighted_sum(overdue),
            )
        )

    def _sums_by(self, key, names=PIPELINE_SUMS) -> dict:
        """Add up the groups' sums by key(group), keeping the order in which keys first appear."""
        sums = {}
        for group in self.groups:
            total = sums.get(key(group))
            if total is None:
                sums[key(group)] = {name: group[name] for name in names}
            else:
                for name in names:
                    total[name] += group[name]
        return sums

    @cached_property
    def _all(self) -> dict | None:
        return self._sums_by(lambda group: None, ALL_SUMS).get(None)

    def totals(self) -> dict:
        """Return count, total value and estimated value, as OpportunityQuerySet.totals() does."""
        return _totals(self._all)

    @cached_property
    def stages(self) -> list[Stage]:
        """Return every stage in stage order, read once for the tables and the queries that name stages."""
        return list(Stage.objects.all())


    def oldest_overdue(self) -> list[Opportunity]:
        """Return the open opportunities whose close date has passed, the oldest first, as many as the page lists.

        Naming the open stages by id, rather than joining the stages by kind,
        lets the database read the (stage, close date) index.
        """
        overdue = self.opportunities.filter(stage__in=stage_ids(self.stages, StageKind.OPEN), close_date__lt=self.today)
        return list(overdue.select_related("account", "stage", "owner").order_by("close_date", "pk")[:OVERDUE_LIST_LIMIT])

    def overdue(self) -> "Overdue":
        return Overdue(**_totals(self._all, prefix="overdue_"), opportunities=self.oldest_overdue())

    def average_age(self) -> Decimal | None:
        """Return the average age in days since creation, one decimal; None without open opportunities."""
        row = self._all
        if row is None:
            return None
        days = Decimal(row["age"].total_seconds()) / 86400 / row["count"]
        return days.quantize(Decimal("0.1"))

    def by_stage(self) -> list[PipelineRow]:
        """Return the pipeline per open stage, in stage order; a stage in use without any shows 0."""
        grouped = self._sums_by(lambda group: group["stage"])
        stages = [
            stage for stage in self.stages
            if stage.kind == StageKind.OPEN and (not stage.is_retired or stage.pk in grouped)
        ]
        rows = []
        for stage in stages:
            row = _pipeline_row(stage.name, grouped.get(stage.pk, EMPTY_SUMS))
            row.extra["probability"] = stage.probability
            rows.append(row)
        return rows

    def by_close_month(self) -> list[PipelineRow]:
        """Return the pipeline per month of the expected close date, earliest month first."""
        grouped = self._sums_by(lambda group: group["month"])
        return [_pipeline_row(month.strftime("%b %Y"), grouped[month]) for month in sorted(grouped)]

    def by_owner(self) -> list[PipelineRow]:
        """Return the pipeline per opportunity owner, the largest total value first, then by username."""
        grouped = self._sums_by(lambda group: group["owner"])
        users = User.objects.in_bulk([pk for pk in grouped if pk is not None])
        rows = []
        for pk, sums in grouped.items():
            user = users.get(pk)
            name = (user.get_full_name() or user.username) if user else "No owner"
            rows.append((-sums["total_value"], user is None, user.username if user else "", name, sums))
        return [_pipeline_row(name, sums) for *_, name, sums in sorted(rows, key=lambda row: row[:3])]


EMPTY_SUMS = {"count": 0, "total_value": 0, "weighted_percent": 0}


def _totals(sums: dict | None, prefix: str = "") -> dict:
    """Return count, total value and estimated value from the sums, those starting with `prefix`."""
    sums = sums or {f"{prefix}{name}": value for name, value in EMPTY_SUMS.items()}
    return {
        "count": sums[f"{prefix}count"],
        "total_value": quantize_money(sums[f"{prefix}total_value"]),
        "estimated_value": figures.estimated_value(sums[f"{prefix}weighted_percent"]),
    }


def stage_ids(stages: list[Stage], *kinds: str) -> list[int]:
    """Return the ids of the stages of the given kinds."""
    return [stage.pk for stage in stages if stage.kind in kinds]


@dataclass
class AccountPipeline:
    """The accounts with the largest open pipeline, and how many accounts have an open pipeline at all."""

    rows: list[PipelineRow]
    account_count: int


def pipeline_by_account(opportunities: QuerySet, limit: int | None = None) -> AccountPipeline:
    """Return the open pipeline per account, the largest total value first; `limit` keeps the first ones.

    Accounts with the same total value come in the order they were created.
    A window count over the groups returns the number of accounts in the same
    query, even when the query keeps only the first rows. The names are read
    afterwards for the rows kept, which costs less than grouping by name.
    """
    rows = (
        opportunities.open()
        .order_by()
        .values("account")
        .annotate(**figures.pipeline_figures())
        .annotate(account_count=Window(Count("account")))
        .order_by("-total_value", "account")
    )
    if limit is not None:
        rows = rows[:limit]
    rows = list(rows)
    names = dict(Account.objects.filter(pk__in=[row["account"] for row in rows]).values_list("pk", "name"))
    return AccountPipeline(
        rows=[
            _pipeline_row(names[row["account"]], row, url=reverse("accounts:detail", args=[row["account"]]))
            for row in rows
        ],
        account_count=rows[0]["account_count"] if rows else 0,
    )


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


def win_rate_in_period(opportunities: QuerySet, period: Period, stages: list[Stage] | None = None) -> WinRate:
    """Return the win rate and average won value of the opportunities closed within the period.

    An opportunity counts in the period of its close date, both ends included.
    The won and lost stages are named by id, which lets the database read the
    (stage, close date) index. `stages` saves reading them when the caller has.
    """
    if stages is None:
        stages = list(Stage.objects.all())
    won = Q(stage__in=stage_ids(stages, StageKind.WON))
    lost = Q(stage__in=stage_ids(stages, StageKind.LOST))
    closed = opportunities.filter(
        stage__in=stage_ids(stages, StageKind.WON, StageKind.LOST),
        close_date__gte=period.start,
        close_date__lte=period.end,
    )
    won_count = Count("pk", filter=won)
    lost_count = Count("pk", filter=lost)
    row = closed.order_by().aggregate(
        won_count=won_count,
        lost_count=lost_count,
        won_value=figures.value_sum(won),
        average_won_value=Avg("value", filter=won),
        win_rate=figures.win_rate(won_count, lost_count),
    )
    average = row["average_won_value"]
    return WinRate(
        won_count=row["won_count"],
        lost_count=row["lost_count"],
        won_value=quantize_money(row["won_value"]),
        average_won_value=None if average is None else quantize_money(average),
        win_rate=figures.rounded_rate(row["win_rate"]),
    )


@dataclass
class Overdue:
    """Open opportunities whose close date has passed: how many, their value, and the oldest of them."""

    count: int
    total_value: Decimal
    estimated_value: Decimal
    opportunities: list


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
