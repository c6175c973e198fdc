from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from accountwise.accounts.access import get_account_for_user, get_for_user
from accountwise.contracts.actions import archive_contract, restore_contract
from accountwise.contracts.forms import ContractForm
from accountwise.contracts.models import Contract
from accountwise.contracts.sections import (
    ENTITY,
    STATUS_PARAM,
    account_section_url,
    contracts_section_context,
    may_change,
    read_only_response,
    safe_next_url,
    section_page_url,
)
from accountwise.core.concurrency import save_or_show_conflict
from accountwise.core.permissions import require_writer
from accountwise.documents.sections import documents_card_context
from accountwise.history.entries import history_card_context
from accountwise.portfolio.sections import section_params

SECTION_TEMPLATE = "contracts/_contracts_section.html"


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    require_writer(request.user)
    account = _account_from_query(request)
    if account is not None and account.is_archived:
        return read_only_response(request, account)

    form = ContractForm(
        request.POST or None,
        instance=Contract(account=account),
        user=request.user,
        choose_account=account is None,
    )
    if request.method == "POST" and form.is_valid():
        contract = form.save()
        messages.success(request, f"Contract {contract.name} created.")
        _note_missing_description(request, form)
        if account is not None:
            return redirect(account_section_url(account, ENTITY, f"{STATUS_PARAM}={contract.status}"))
        return redirect(contract)

    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "account": account,
            "has_account_choices": account is not None or form.fields["account"].queryset.exists(),
            "cancel_url": account.get_absolute_url() if account else reverse("core:home"),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_for_user(Contract.objects.all(), request.user, pk, change=True)
    if contract.account.is_archived:
        return read_only_response(request, contract.account)
    next_url = safe_next_url(request)
    # Validation copies typed values onto the instance, so headings use the name saved before.
    saved_name = contract.name

    form = ContractForm(request.POST or None, instance=contract, user=request.user)
    if request.method == "POST" and form.is_valid() and save_or_show_conflict(form, form.save):
        messages.success(request, f"Contract {contract.name} saved.")
        _note_missing_description(request, form)
        return redirect(next_url or contract.get_absolute_url())

    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "account": contract.account,
            "contract": contract,
            "saved_name": saved_name,
            "has_account_choices": True,
            "cancel_url": next_url or contract.get_absolute_url(),
        },
    )


@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Contract.objects.select_related("owner", "opportunity", "plan")
    contract = get_for_user(queryset, request.user, pk)
    can_change = may_change(request.user, contract)

    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "account": contract.account,
            "can_change": can_change,
            **documents_card_context(contract, can_change),
            **history_card_context(request, contract),
        },
    )


@require_POST
def contract_archive(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_for_user(Contract.objects.all(), request.user, pk, change=True)
    if contract.account.is_archived:
        return read_only_response(request, contract.account)

    deleted = archive_contract(
        contract, request.user, delete_documents=request.POST.get("delete_documents") == "1"
    )
    notice = f"Contract {contract.name} archived."
    if deleted:
        notice += f" {deleted} document{'s' if deleted != 1 else ''} deleted with it."
    return _after_status_change(request, contract, notice)


@require_GET
def contract_archive_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask before archiving a contract that has documents whether they stay on the account."""
    contract = get_for_user(Contract.objects.all(), request.user, pk, change=True)
    if contract.account.is_archived:
        return read_only_response(request, contract.account)

    context = {
        "contract": contract,
        "account": contract.account,
        "document_count": contract.documents.count(),
        "cancel_url": safe_next_url(request) or contract.get_absolute_url(),
    }
    return render(request, "contracts/contract_confirm_archive.html", context)


@require_POST
def contract_restore(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_for_user(Contract.objects.all(), request.user, pk, change=True)
    if contract.account.is_archived:
        return read_only_response(request, contract.account)

    restore_contract(contract, request.user)
    return _after_status_change(request, contract, f"Contract {contract.name} restored.")


@require_GET
def contracts_section(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, account_pk)

    if not request.htmx:
        query = section_params(request.GET, ENTITY).urlencode()
        response = redirect(account_section_url(account, ENTITY, query))
    else:
        context = contracts_section_context(request, account, may_change(request.user, account))
        response = render(request, SECTION_TEMPLATE, context)
        # The filter form cannot know the page URL its values make, so the response sets the address bar.
        push_url(response, section_page_url(request, account, ENTITY))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _after_status_change(request: HttpRequest, contract: Contract, notice: str) -> HttpResponse:
    """Respond to archive or restore: the refreshed section for htmx, else a redirect."""
    if request.htmx:
        # The row's button posts to a URL that carries the section's status
        # filter, so the refreshed section keeps showing what the user chose.
        context = contracts_section_context(request, contract.account, can_change=True)
        context["contracts_section"]["notice"] = notice
        response = render(request, SECTION_TEMPLATE, context)
    else:
        messages.success(request, notice)
        response = redirect(safe_next_url(request) or contract.get_absolute_url())
    patch_vary_headers(response, ["HX-Request"])
    return response


def _account_from_query(request: HttpRequest):
    """Return the account named by ?account=, authorised for change, or None for the account chooser."""
    raw = request.GET.get("account", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such account.")
    return get_account_for_user(request.user, int(raw), change=True)


def _note_missing_description(request: HttpRequest, form: ContractForm) -> None:
    notice = form.missing_description_notice()
    if notice:
        messages.info(request, notice)
