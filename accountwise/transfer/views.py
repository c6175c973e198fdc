"""Download a list as an XLSX or CSV file holding exactly the rows the list shows, all pages."""

import tempfile
from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from accountwise.accounts.access import get_account_for_user
from accountwise.contracts import sections as contract_sections
from accountwise.core.permissions import organisation_for, viewable_accounts
from accountwise.opportunities import sections as opportunity_sections
from accountwise.portfolio import lists as portfolio_lists
from accountwise.portfolio.scope import filtered_accounts
from accountwise.portfolio.sections import saved_filter_for_export, section_filter
from accountwise.transfer.export.lists import (
    ACCOUNTS,
    CONTACTS,
    CONTRACTS,
    OPPORTUNITIES,
    Export,
    ListDefinition,
)
from accountwise.transfer.export.rows import (
    account_list_rows,
    contact_rows,
    contract_rows,
    opportunity_rows,
)
from accountwise.transfer.export.writers import CONTENT_TYPES, CSV, FORMATS, csv_chunks, write_xlsx


@require_safe
def export_accounts(request: HttpRequest, file_format: str) -> HttpResponseBase:
    _check_format(file_format)

    rows = account_list_rows(filtered_accounts(request), request.GET, user=request.user)
    return _download(_export(request, ACCOUNTS, rows), file_format)


@require_safe
def export_contracts(request: HttpRequest, account_pk: int, file_format: str) -> HttpResponseBase:
    _check_format(file_format)
    account = get_account_for_user(request.user, account_pk)

    # The section's own status parameter and default, so a link can carry the page's query string.
    status = contract_sections.selected_status(
        request,
        contract_sections.STATUS_PARAM,
        contract_sections.STATUS_FILTERS,
        contract_sections.DEFAULT_STATUS,
    )
    entity = contract_sections.ENTITY
    saved_filter = saved_filter_for_export(request, entity)
    contracts = section_filter(request, entity, account.contracts.all(), saved_filter).qs
    rows = contract_rows(contracts, status)
    return _download(_export(request, CONTRACTS, rows, subject=account.name), file_format)


@require_safe
def export_opportunities(request: HttpRequest, account_pk: int, file_format: str) -> HttpResponseBase:
    _check_format(file_format)
    account = get_account_for_user(request.user, account_pk)

    status = contract_sections.selected_status(
        request,
        opportunity_sections.STATUS_PARAM,
        opportunity_sections.STATUS_FILTERS,
        opportunity_sections.DEFAULT_STATUS,
    )
    entity = opportunity_sections.ENTITY
    saved_filter = saved_filter_for_export(request, entity)
    opportunities = section_filter(request, entity, account.opportunities.all(), saved_filter).qs
    rows = opportunity_rows(opportunities, status)
    return _download(_export(request, OPPORTUNITIES, rows, subject=account.name), file_format)


@require_safe
def export_contacts(request: HttpRequest, account_pk: int, file_format: str) -> HttpResponseBase:
    _check_format(file_format)
    account = get_account_for_user(request.user, account_pk)

    rows = contact_rows(account.contacts.all())
    return _download(_export(request, CONTACTS, rows, subject=account.name), file_format)


@require_safe
def export_portfolio(request: HttpRequest, entity: str, file_format: str) -> HttpResponseBase:
    """Export a portfolio view: its rows under the account filter and the query's filters, in its order."""
    _check_format(file_format)
    portfolio = portfolio_lists.LISTS.get(entity)
    if portfolio is None:
        raise Http404(f"Unknown portfolio view {entity!r}. Use contracts or opportunities.")

    rows = portfolio_lists.portfolio_filter(request, portfolio).qs
    if portfolio is portfolio_lists.CONTRACTS:
        return _download(_export(request, CONTRACTS, contract_rows(rows, "all")), file_format)
    return _download(_export(request, OPPORTUNITIES, opportunity_rows(rows, "all")), file_format)


def _export(request: HttpRequest, definition: ListDefinition, rows: QuerySet, subject: str = "") -> Export:
    # The permission checks share this per-request copy of the organisation, so it is read once per request.
    currency = organisation_for(request.user).currency
    return Export(definition, rows, subject=subject, currency=currency)


def _check_format(file_format: str) -> None:
    if file_format not in FORMATS:
        raise Http404(f"Unknown export format {file_format!r}. Use xlsx or csv.")


def _download(export: Export, file_format: str) -> HttpResponseBase:
    """Respond with the file as an attachment: CSV streamed as it is written, XLSX once complete."""
    filename = export.filename(file_format, timezone.localdate())
    if file_format == CSV:
        response = StreamingHttpResponse(csv_chunks(export), content_type=CONTENT_TYPES[CSV])
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            _xlsx_file(export), as_attachment=True, filename=filename,
            content_type=CONTENT_TYPES[file_format],
        )

    response["X-Content-Type-Options"] = "nosniff"
    # The file contains customer data, so no shared cache may store it.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _xlsx_file(export: Export) -> IO[bytes]:
    """Write the workbook to an anonymous temporary file, which FileResponse closes and so deletes."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(export, file)
    except Exception:
        file.close()
        raise
    file.seek(0)
    return file
