"""Figures of the contracts and opportunities report: per account, the business running and to come.

Per account, the report shows the value of its active contracts and how many
of them end within the next 30, 60 and 90 days. The windows count from today
with both ends included, so each window contains the shorter ones. It also
shows the open pipeline, its estimated value, and the value won in the current
fiscal year: won opportunities whose close date falls in it.

Each figure is a correlated subquery of the account row, because joining
contracts and opportunities in one GROUP BY would multiply one by the other.
The subqueries run once for each account they annotate. So the page selects
its accounts with an EXISTS test first, and computes the figures only for the
accounts that it shows.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract
from accountwise.lib.money import quantize_money
from accountwise.opportunities.models import Opportunity, StageKind
from accountwise.reports import figures
from accountwise.reports.periods import Period

ENDING_WINDOWS = (30, 60, 90)
# Accounts in the chart: those with the most active contract value and open pipeline together.
CHART_ACCOUNT_LIMIT = 10


def _active_contracts() -> QuerySet:
    return Contract.objects.active()


def _open_opportunities() -> QuerySet:
    return Opportunity.objects.filter(stage__kind=StageKind.OPEN)


def _won_in(year: Period) -> QuerySet:
    return Opportunity.objects.filter(
        stage__kind=StageKind.WON, close_date__gte=year.start, close_date__lte=year.end
    )


def _of_account(queryset: QuerySet) -> QuerySet:
    return queryset.filter(account=OuterRef("pk")).order_by().values("account")


def _sum_of(queryset: QuerySet, expression) -> Coalesce:
    total = _of_account(queryset).annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total, output_field=figures.WEIGHTED_FIELD), figures.zero())


def _count_of(queryset: QuerySet) -> Coalesce:
    number = _of_account(queryset).annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(number, output_field=IntegerField()), 0)


def _ending_within(today: datetime.date, days: int) -> Q:
    return Q(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))


def _business_sources(year: Period) -> list[tuple[QuerySet, F | Value]]:
    """Return the querysets of the rows that give an account business, each with what a row adds to the chart.

    Active contracts and open opportunities add their value. A win in the
    fiscal year adds zero, so it puts its account in the report without
    raising it in the chart. A win counts only when its value is above zero.
    Values are never negative, so this matches the won value figure being
    above zero.
    """
    return [
        (_active_contracts(), F("value")),
        (_open_opportunities(), F("value")),
        (_won_in(year).filter(value__gt=0), figures.zero()),
    ]


def with_business(accounts: QuerySet, year: Period) -> QuerySet:
    """Keep the accounts with an active contract, an open opportunity or a value won in the fiscal year.

    One EXISTS over the UNION ALL of the sources tests each account, so
    neither the filter nor the count computes a figure. PostgreSQL 15 runs it
    per account through the account_id indexes. Given three EXISTS joined by
    OR, it hashed every active contract and open opportunity first, which took
    four times as long on the benchmark database (57 ms of CPU against 14 ms).
    """
    rows = [
        queryset.filter(account=OuterRef("pk")).order_by().values("account")
        for queryset, _ in _business_sources(year)
    ]
    return accounts.filter(Exists(rows[0].union(*rows[1:], all=True)))


def with_business_figures(accounts: QuerySet, today: datetime.date, year: Period) -> QuerySet:
    """Annotate accounts with the report's figures, where figures.estimated_value() converts weighted_percent."""
    active = _active_contracts()
    open_ = _open_opportunities()
    ending = {
        f"ending_{days}": _count_of(active.filter(_ending_within(today, days)))
        for days in ENDING_WINDOWS
    }
    return accounts.annotate(
        active_contract_count=_count_of(active),
        active_contract_value=_sum_of(active, "value"),
        **ending,
        open_count=_count_of(open_),
        open_value=_sum_of(open_, "value"),
        weighted_percent=_sum_of(open_, figures.weighted()),
        won_value=_sum_of(_won_in(year), "value"),
    )


def figures_of(account_ids: Iterable[int], today: datetime.date, year: Period) -> list[Account]:
    """Return the accounts with these ids, annotated as with_business_figures() does, in the order of the ids.

    An account deleted since its id was read is left out.
    """
    account_ids = list(account_ids)
    annotated = with_business_figures(Account.objects.filter(pk__in=account_ids).order_by(), today, year)
    by_id = {account.pk: account for account in annotated}
    return [by_id[pk] for pk in account_ids if pk in by_id]


@dataclass
class BusinessTotals:
    """The report's totals row, computed over the same accounts as the rows."""

    active_contract_count: int
    active_contract_value: Decimal
    ending: dict
    open_count: int
    open_value: Decimal
    estimated_value: Decimal
    won_value: Decimal


def business_totals(accounts: QuerySet, today: datetime.date, year: Period) -> BusinessTotals:
    """Return the totals in two queries, one over contracts and one over opportunities.

    The pipeline part is OpportunityQuerySet.totals(), so it matches the
    portfolio view of the same open opportunities.
    """
    contracts = Contract.objects.active().filter(account__in=accounts)
    ending = {
        f"ending_{days}": Count("pk", filter=_ending_within(today, days)) for days in ENDING_WINDOWS
    }
    contract_row = contracts.order_by().aggregate(
        count=Count("pk"), value=figures.value_sum(), **ending
    )

    opportunities = Opportunity.objects.filter(account__in=accounts)
    won_in_year = figures.WON & Q(close_date__gte=year.start, close_date__lte=year.end)
    opportunity_row = opportunities.order_by().aggregate(
        open_count=Count("pk", filter=figures.OPEN),
        open_value=figures.value_sum(figures.OPEN),
        weighted_percent=figures.weighted_sum(figures.OPEN),
        won_value=figures.value_sum(won_in_year),
    )
    return BusinessTotals(
        active_contract_count=contract_row["count"],
        active_contract_value=quantize_money(contract_row["value"]),
        ending={days: contract_row[f"ending_{days}"] for days in ENDING_WINDOWS},
        open_count=opportunity_row["open_count"],
        open_value=quantize_money(opportunity_row["open_value"]),
        estimated_value=figures.estimated_value(opportunity_row["weighted_percent"]),
        won_value=quantize_money(opportunity_row["won_value"]),
    )


def business_accounts(accounts: QuerySet, year: Period) -> QuerySet:
    """Return the ids of the report's accounts in account name order, ready to page through."""
    return with_business(accounts, year).order_by("name", "pk").values_list("pk", flat=True)


def business_rows(accounts: QuerySet, today: datetime.date, year: Period) -> QuerySet:
    """Return every report row with its figures, in account name order, for the downloads."""
    return with_business_figures(with_business(accounts, year), today, year).order_by("name", "pk")


def largest_accounts(accounts: QuerySet, today: datetime.date, year: Period) -> list[Account]:
    """Return the accounts with the most active contract value plus open pipeline, with their figures, for the chart."""
    return figures_of(_largest_account_ids(accounts, year), today, year)


def _largest_account_ids(accounts: QuerySet, year: Period) -> list[int]:
    """Rank the accounts with business by active contract value plus open pipeline, then by name.

    Each database runs the query that was faster on the database of
    benchmarks/page_benchmark.py: 10,000 accounts, 50,000 contracts and
    200,000 opportunities, on two vCPUs. On PostgreSQL 15, one GROUP BY over
    all the rows took 78 ms of CPU. Two correlated sums per account took
    104 ms, because their estimated cost made the planner JIT-compile the
    query. SQLite took 66 ms for the correlated sums and 117 ms for the GROUP BY.
    """
    if connections[accounts.db].vendor == "postgresql":
        return _largest_by_grouped_rows(accounts, year)
    return _largest_by_subqueries(accounts, year)


def _largest_by_subqueries(accounts: QuerySet, year: Period) -> list[int]:
    ranked = with_business(accounts, year).annotate(
        business_value=_sum_of(_active_contracts(), "value") + _sum_of(_open_opportunities(), "value")
    )
    return list(ranked.order_by("-business_value", "name", "pk").values_list("pk", flat=True)[:CHART_ACCOUNT_LIMIT])


def _business_value_rows(accounts: QuerySet, year: Period) -> QuerySet:
    """Return one row per amount that adds up to an account's business value, for the accounts with business."""
    rows = [
        queryset.filter(account__in=accounts.values("pk"))
        .order_by()
        .values(ranked_account=F("account"), amount=amount)
        for queryset, amount in _business_sources(year)
    ]
    return rows[0].union(*rows[1:], all=True)


def _largest_by_grouped_rows(accounts: QuerySet, year: Period) -> list[int]:
    """Sum the rows of _business_value_rows() per account, and rank the sums.

    NOTE: Django cannot group the rows of a union, so this SQL wraps the SQL
    that the ORM compiles for the union and for the account names.
    """
    names = accounts.order_by().values(ranked_pk=F("pk"), ranked_name=F("name"))
    try:
        names_sql, names_params = names.query.sql_with_params()
        rows_sql, rows_params = _business_value_rows(accounts, year).query.sql_with_params()
    except EmptyResultSet:
        return []
    ranking = (
        f"SELECT ranked_pk FROM ({names_sql}) ranked_names "
        f"INNER JOIN (SELECT ranked_account, SUM(amount) AS business_value FROM ({rows_sql}) business_rows "
        "GROUP BY ranked_account) business_values ON ranked_account = ranked_pk "
        "ORDER BY COALESCE(business_value, 0) DESC, ranked_name, ranked_pk "
        "LIMIT %s"
    )
    with connections[accounts.db].cursor() as cursor:
        cursor.execute(ranking, [*names_params, *rows_params, CHART_ACCOUNT_LIMIT])
        return [account_id for (account_id,) in cursor.fetchall()]
