"""Figures of the contracts and opportunities report: per account, the business running and to come.

Per account, the report shows the value of its active contracts and how many
of them end within the next 30, 60 and 90 days. The windows count from today
with both ends included, so each window contains the shorter ones. It also
shows the open pipeline, its estimated value, and the value won in the current
fiscal year: won opportunities whose close date falls in it.

Each figure is a correlated subquery of the account row, because joining
contracts and opportunities in one GROUP BY would multiply one by the other.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accountwise.contracts.models import Contract
from accountwise.lib.money import quantize_money
from accountwise.opportunities.models import Opportunity, StageKind
from accountwise.reports import figures
from accountwise.reports.periods import Period

ENDING_WINDOWS = (30, 60, 90)
# Accounts in the chart: those with the most active contract value and open pipeline together.
CHART_ACCOUNT_LIMIT = 10


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


def with_business_figures(accounts: QuerySet, today: datetime.date, year: Period) -> QuerySet:
    """Annotate accounts with the report's figures; weighted_percent becomes estimated value.

    Accounts with no active contract, no open opportunity and nothing won in
    the fiscal year are left out.
    """
    active = Contract.objects.active()
    open_ = Opportunity.objects.filter(stage__kind=StageKind.OPEN)
    won = Opportunity.objects.filter(
        stage__kind=StageKind.WON, close_date__gte=year.start, close_date__lte=year.end
    )
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
        won_value=_sum_of(won, "value"),
    ).filter(Q(active_contract_count__gt=0) | Q(open_count__gt=0) | Q(won_value__gt=0))


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


def business_rows(accounts: QuerySet, today: datetime.date, year: Period) -> QuerySet:
    """Return the report rows in account name order, ready to page through."""
    return with_business_figures(accounts, today, year).order_by("name", "pk")


def largest_accounts(accounts: QuerySet, today: datetime.date, year: Period) -> list:
    """Return the accounts with the most active contract value plus open pipeline, for the chart."""
    rows = with_business_figures(accounts, today, year).annotate(
        business_value=F("active_contract_value") + F("open_value")
    )
    return list(rows.order_by("-business_value", "name", "pk")[:CHART_ACCOUNT_LIMIT])
