"""Archive an account's expired contracts, those still active after their end date, in one step."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accountwise.accounts.access import get_account_for_user
from accountwise.contracts.actions import archive_expired_contracts
from accountwise.contracts.sections import STATUS_PARAM, read_only_response


@require_http_methods(["GET", "POST"])
def contracts_archive_expired(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, account_pk, change=True)
    if account.is_archived:
        return read_only_response(request, account)
    today = timezone.localdate()
    section_url = f"{account.get_absolute_url()}?{STATUS_PARAM}=active#contracts-section"

    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("contract") if value.isdigit()]
        archived = archive_expired_contracts(account, request.user, today, ids)
        if archived:
            count = len(archived)
            messages.success(request, f"Archived {count} expired contract{'s' if count != 1 else ''}.")
        else:
            messages.info(request, "No expired contracts were left to archive.")
        return redirect(section_url)

    expired = list(account.contracts.expired(today).select_related("owner"))
    return render(
        request,
        "contracts/contracts_archive_expired.html",
        {"account": account, "contracts": expired, "cancel_url": section_url},
    )
