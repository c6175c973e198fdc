"""The built-in reports as tables: what each page, chart and export shows."""

from django.db.models import QuerySet
from django.urls import reverse

from accountwise.lib.money import quantize_money
from accountwise.reports import account_business, calibration, opportunity_profile
from accountwise.reports.figures import estimated_value
from accountwise.reports.opportunity_profile import PipelineRow
from accountwise.reports.periods import Period
from accountwise.reports.tables import TOTAL_LABEL, Table, TableColumn
from accountwise.transfer.export.columns import ColumnType

MONEY = ColumnType.MONEY
INTEGER = ColumnType.INTEGER
PERCENT = ColumnType.PERCENT


def _pipeline_table(name: str, title: str, first: str, rows: list[PipelineRow], totals: dict, **options) -> Table:
    return Table(
        name=name,
        title=title,
        columns=[
            TableColumn(first),
            TableColumn("Opportunities", INTEGER),
            TableColumn("Total value", MONEY),
            TableColumn("Estimated value", MONEY),
        ],
        rows=[[row.label, row.count, row.total_value, row.estimated_value] for row in rows],
        links=[row.url for row in rows],
        totals=[TOTAL_LABEL, totals["count"], totals["total_value"], totals["estimated_value"]],
        chart_columns=(2, 3),
        **options,
    )


def stage_table(pipeline: opportunity_profile.OpenPipeline, totals: dict) -> Table:
    """Return the open pipeline by stage, in stage order, drawn as a funnel."""
    stages = pipeline.by_stage()
    table = _pipeline_table(
        "stage", "Pipeline by stage", "Stage", stages, totals,
        chart="funnel", empty_message="No open opportunities in this selection.",
    )
    table.columns.insert(1, TableColumn("Probability", PERCENT))
    table.rows = [[row[0], stage.extra["probability"], *row[1:]] for row, stage in zip(table.rows, stages)]
    table.totals.insert(1, None)
    table.chart_columns = (3, 4)
    if not totals["count"]:
        # The empty message is clearer than a funnel of zeros.
        table.rows = []
    return table


def profile_tables(
    pipeline: opportunity_profile.OpenPipeline, accounts: opportunity_profile.AccountPipeline
) -> list[Table]:
    """Return the pipeline tables of the opportunity profile report, each with the same totals row.

    The account table shows the rows of `accounts`. When those are only the
    largest accounts, the table counts the others as hidden.
    """
    totals = pipeline.totals()
    empty = "No open opportunities in this selection."
    account_table = _pipeline_table(
        "account", "Pipeline by account", "Account", accounts.rows, totals, empty_message=empty,
    )
    account_table.hidden_count = accounts.account_count - len(accounts.rows)
    return [
        stage_table(pipeline, totals),
        _pipeline_table(
            "month", "Pipeline by expected close month", "Close month",
            pipeline.by_close_month(), totals, chart="line", empty_message=empty,
        ),
        _pipeline_table("owner", "Pipeline by owner", "Owner", pipeline.by_owner(), totals, empty_message=empty),
        account_table,
    ]


def outcome_table(result: opportunity_profile.WinRate, period: Period) -> Table:
    return Table(
        name="outcomes",
        title=f"Closed {period}",
        columns=[
            TableColumn("Outcome"),
            TableColumn("Opportunities", INTEGER),
            TableColumn("Won value", MONEY),
            TableColumn("Average won value", MONEY),
            TableColumn("Win rate", PERCENT),
        ],
        rows=[
            ["Won", result.won_count, result.won_value, result.average_won_value, None],
            ["Lost", result.lost_count, None, None, None],
        ] if result.closed_count else [],
        totals=[TOTAL_LABEL, result.closed_count, result.won_value, result.average_won_value, result.win_rate],
        chart="pie",
        chart_columns=(1,) if result.closed_count else (),
        empty_message="No opportunity closed in this period.",
    )


def overdue_table(overdue: opportunity_profile.Overdue) -> Table:
    rows = overdue.opportunities
    return Table(
        name="overdue",
        title="Open opportunities past their close date",
        columns=[
            TableColumn("Opportunity"),
            TableColumn("Account"),
            TableColumn("Stage"),
            TableColumn("Owner"),
            TableColumn("Close date", ColumnType.DATE),
            TableColumn("Value", MONEY),
            TableColumn("Estimated value", MONEY),
        ],
        rows=[
            [o.name, o.account.name, o.stage.name, str(o.owner or ""), o.close_date, o.value, o.estimated_value]
            for o in rows
        ],
        links=[o.get_absolute_url() for o in rows],
        totals=[TOTAL_LABEL, None, None, None, None, overdue.total_value, overdue.estimated_value],
        chart="",
        empty_message="No open opportunity has a close date in the past.",
    )


def business_table(rows, totals: account_business.BusinessTotals, year_label: str) -> Table:
    """Return the contracts and opportunities table for the accounts of one page, with totals over all."""
    return Table(
        name="accounts",
        title="Contracts and opportunities by account",
        columns=[
            TableColumn("Account"),
            TableColumn("Active contracts", INTEGER),
            TableColumn("Active contract value", MONEY),
            *(TableColumn(f"Ending within {days} days", INTEGER) for days in account_business.ENDING_WINDOWS),
            TableColumn("Open opportunities", INTEGER),
            TableColumn("Open pipeline", MONEY),
            TableColumn("Estimated value", MONEY),
            TableColumn(f"Won value {year_label}", MONEY),
        ],
        rows=[_business_row(account) for account in rows],
        links=[reverse("accounts:detail", args=[account.pk]) for account in rows],
        totals=[
            TOTAL_LABEL,
            totals.active_contract_count,
            totals.active_contract_value,
            *(totals.ending[days] for days in account_business.ENDING_WINDOWS),
            totals.open_count,
            totals.open_value,
            totals.estimated_value,
            totals.won_value,
        ],
        chart="",
        empty_message="No account in this selection has an active contract, an open opportunity or a win this fiscal year.",
    )


def _business_row(account) -> list:
    return [
        account.name,
        account.active_contract_count,
        quantize_money(account.active_contract_value),
        *(getattr(account, f"ending_{days}") for days in account_business.ENDING_WINDOWS),
        account.open_count,
        quantize_money(account.open_value),
        estimated_value(account.weighted_percent),
        quantize_money(account.won_value),
    ]


def largest_accounts_table(rows) -> Table:
    return Table(
        name="largest",
        title="Largest accounts: active contract value and open pipeline",
        columns=[
            TableColumn("Account"),
            TableColumn("Active contract value", MONEY),
            TableColumn("Open pipeline", MONEY),
            TableColumn("Estimated value", MONEY),
        ],
        rows=[[row[0], row[2], row[7], row[8]] for row in map(_business_row, rows)],
        links=[reverse("accounts:detail", args=[account.pk]) for account in rows],
        chart_columns=(1, 2, 3),
        empty_message="No account in this selection has business to show.",
    )


def calibration_table(rows: list[calibration.CalibrationRow]) -> Table:
    return Table(
        name="calibration",
        title="Stage calibration",
        columns=[
            TableColumn("Stage"),
            TableColumn("Configured probability", PERCENT),
            TableColumn("Observed win rate", PERCENT),
            TableColumn("Difference (points)", ColumnType.TEXT),
            TableColumn("Passed through", INTEGER),
            TableColumn("Closed (sample size)", INTEGER),
            TableColumn("Won", INTEGER),
            TableColumn("Lost", INTEGER),
            TableColumn("Still open or on hold", INTEGER),
        ],
        rows=[
            [
                row.stage.name,
                row.stage.probability,
                row.observed_win_rate,
                _points(row.difference),
                row.passed_count,
                row.sample_size,
                row.won_count,
                row.lost_count,
                row.still_open_count,
            ]
            for row in rows
        ],
        chart_columns=(1, 2),
        empty_message="There are no open stages.",
    )


def _points(difference) -> str:
    if difference is None:
        return "—"
    return f"{difference:+.1f}"
