"""Each report's main queries by name, so that a benchmark can time them one at a time.

Every entry takes the accounts a report covers (as filtered_accounts() returns
them) and runs its queries to the end, returning the figures.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone

from accountwise.core.models import Organisation
from accountwise.opportunities.models import Opportunity
from accountwise.reports import account_business, calibration, defined, opportunity_profile
from accountwise.reports.models import ReportDefinition
from accountwise.reports.periods import fiscal_year


def _opportunities(accounts: QuerySet) -> QuerySet:
    return Opportunity.objects.filter(account__in=accounts)


def _open_pipeline(accounts: QuerySet) -> opportunity_profile.OpenPipeline:
    return opportunity_profile.OpenPipeline(_opportunities(accounts), timezone.localdate(), timezone.now())


def _year():
    return fiscal_year(timezone.localdate(), Organisation.get().fiscal_year_start_month)


def _business_page(accounts: QuerySet) -> list:
    year = _year()
    account_ids = account_business.business_accounts(accounts, year)[:50]
    return account_business.figures_of(account_ids, timezone.localdate(), year)


def _business_count(accounts: QuerySet) -> int:
    return account_business.business_accounts(accounts, _year()).count()


def _defined_by_stage(accounts: QuerySet):
    definition = ReportDefinition(
        name="Benchmark", entity="opportunity", group_by="stage",
        measures=["count", "total_value", "estimated_value", "average_value", "win_rate"],
    )
    return defined.run_report(definition, accounts)


MAIN_QUERIES: dict[str, Callable[[QuerySet], object]] = {
    "profile.open_pipeline": lambda a: _open_pipeline(a).groups,
    "profile.pipeline_by_account": lambda a: opportunity_profile.pipeline_by_account(
        _opportunities(a), opportunity_profile.ACCOUNT_TABLE_LIMIT
    ),
    "profile.win_rate": lambda a: opportunity_profile.win_rate_in_period(_opportunities(a), _year()),
    "profile.oldest_overdue": lambda a: _open_pipeline(a).oldest_overdue(),
    "profile.close_date_pushes": lambda a: opportunity_profile.close_date_pushes(_opportunities(a), _year()),
    "business.first_page": _business_page,
    "business.count": _business_count,
    "business.chart": lambda a: account_business.largest_accounts(a, timezone.localdate(), _year()),
    "business.totals": lambda a: account_business.business_totals(a, timezone.localdate(), _year()),
    "calibration": lambda a: calibration.calibration_rows(_opportunities(a)),
    "defined.opportunities_by_stage": _defined_by_stage,
}
