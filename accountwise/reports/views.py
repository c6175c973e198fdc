"""Report pages: the built-in reports, the defined reports and the dashboard.

Every report covers the accounts of the user's account filter, or one account
when the URL names it (?account=<pk>). A report table downloads with
?download=<table>&format=xlsx|csv, built from the same rows as the page.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accountwise.accounts.access import get_account_for_user
from accountwise.accounts.models import Account
from accountwise.core.models import Organisation
from accountwise.opportunities.models import Opportunity
from accountwise.portfolio.scope import filtered_accounts
from accountwise.reports import account_business, builtin, calibration, defined, opportunity_profile
from accountwise.reports.dashboard import dashboard_context
from accountwise.reports.models import ReportDefinition
from accountwise.reports.periods import PeriodForm, fiscal_year, fiscal_year_label
from accountwise.reports.tables import Table
from accountwise.transfer.export.writers import CONTENT_TYPES, FORMATS, XLSX, csv_chunks, write_xlsx

# Accounts per page of the contracts and opportunities report.
ACCOUNTS_PER_PAGE = 50


def _scope(request: HttpRequest) -> tuple[QuerySet, Account | None]:
    """Return the accounts a report covers, and the one account when the URL names one."""
    account_id = request.GET.get("account", "")
    if not account_id:
        return filtered_accounts(request), None
    if not account_id.isdigit():
        raise Http404("Unknown account.")
    account = get_account_for_user(request.user, int(account_id))
    return Account.objects.filter(pk=account.pk), account


def _download(request: HttpRequest, tables: list[Table], account: Account | None) -> HttpResponse | None:
    """Return the requested table as a file, or None when the request is for the page."""
    name = request.GET.get("download")
    if not name:
        return None
    table = next((table for table in tables if table.name == name), None)
    file_format = request.GET.get("format", XLSX)
    if table is None or file_format not in FORMATS:
        raise Http404("Unknown report table or file format.")

    export = table.export(subject=account.name if account else "")
    filename = export.filename(file_format, timezone.localdate())
    response = HttpResponse(content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if file_format == XLSX:
        write_xlsx(export, response)
    else:
        for chunk in csv_chunks(export):
            response.write(chunk)
    return response


def _with_default_period(params, default) -> dict:
    """Fill the period fields the request leaves out, so the form shows the period in use."""
    return {
        "start": params.get("start") or default.start.isoformat(),
        "end": params.get("end") or default.end.isoformat(),
    }


@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    definitions = ReportDefinition.objects.visible_to(request.user)
    return render(request, "reports/index.html", {"definitions": definitions})


@require_GET
def opportunity_profile_report(request: HttpRequest) -> HttpResponse:
    accounts, account = _scope(request)
    opportunities = Opportunity.objects.filter(account__in=accounts)
    today = timezone.localdate()
    organisation = Organisation.get()
    default = fiscal_year(today, organisation.fiscal_year_start_month)
    period_form = PeriodForm(_with_default_period(request.GET, default), default=default)
    period = period_form.period()

    pipeline = opportunity_profile.OpenPipeline(opportunities, today, timezone.now())
    outcomes = opportunity_profile.win_rate_in_period(opportunities, period, pipeline.stages)
    overdue = pipeline.overdue()
    # The page shows the largest accounts only; the account table's download has them all.
    account_limit = None if request.GET.get("download") == "account" else opportunity_profile.ACCOUNT_TABLE_LIMIT
    tables = [
        *builtin.profile_tables(pipeline, opportunity_profile.pipeline_by_account(opportunities, account_limit)),
        builtin.outcome_table(outcomes, period),
        builtin.overdue_table(overdue),
    ]
    if response := _download(request, tables, account):
        return response

    context = {
        "account": account,
        "tables": {table.name: table for table in tables},
        "period_form": period_form,
        "period": period,
        "outcomes": outcomes,
        "overdue": overdue,
        "average_age": pipeline.average_age(),
        "pushes": opportunity_profile.close_date_pushes(opportunities, period),
        "pipeline": pipeline.totals(),
        "overdue_limit": opportunity_profile.OVERDUE_LIST_LIMIT,
    }
    return render(request, "reports/opportunity_profile.html", context)


@require_GET
def contracts_opportunities_report(request: HttpRequest) -> HttpResponse:
    accounts, account = _scope(request)
    today = timezone.localdate()
    year = fiscal_year(today, Organisation.get().fiscal_year_start_month)
    year_label = fiscal_year_label(year)
    totals = account_business.business_totals(accounts, today, year)
    largest = account_business.largest_accounts(accounts, today, year)
    if request.GET.get("download"):
        rows = account_business.business_rows(accounts, today, year)
        tables = [builtin.business_table(list(rows), totals, year_label), builtin.largest_accounts_table(largest)]
        return _download(request, tables, account)

    account_ids = account_business.business_accounts(accounts, year)
    page = Paginator(account_ids, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = account_business.figures_of(page.object_list, today, year)
    context = {
        "account": account,
        "year": year,
        "year_label": year_label,
        "totals": totals,
        "page": page,
        "table": builtin.business_table(rows, totals, year_label),
        "chart_table": builtin.largest_accounts_table(largest),
    }
    return render(request, "reports/contracts_opportunities.html", context)


@require_GET
def stage_calibration_report(request: HttpRequest) -> HttpResponse:
    accounts, account = _scope(request)
    opportunities = Opportunity.objects.filter(account__in=accounts)
    rows = calibration.calibration_rows(opportunities)
    table = builtin.calibration_table(rows)
    if response := _download(request, [table], account):
        return response

    context = {
        "account": account,
        "table": table,
        "rows": rows,
        "small_sample": calibration.SMALL_SAMPLE,
    }
    return render(request, "reports/stage_calibration.html", context)


@require_GET
def defined_report(request: HttpRequest, pk: int) -> HttpResponse:
    definitions = ReportDefinition.objects.visible_to(request.user).select_related("saved_filter")
    definition = get_object_or_404(definitions, pk=pk)
    accounts, account = _scope(request)

    options = defined.groupings(definition.entity)
    if definition.group_by not in options:
        return render(request, "reports/defined_report.html", {"definition": definition, "broken": True})
    result = defined.run_report(definition, accounts, options, user=request.user)
    table = defined.result_table(definition, result)
    if response := _download(request, [table], account):
        return response

    context = {
        "definition": definition,
        "account": account,
        "table": table,
        "result": result,
        "filters": defined.filter_summary(definition),
    }
    return render(request, "reports/defined_report.html", context)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", dashboard_context(request.user))
