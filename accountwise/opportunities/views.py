from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url, trigger_client_event

from accountwise.accounts.access import get_account_for_user, get_for_user
from accountwise.accounts.models import Contact
from accountwise.contracts.actions import (
    ContractExistsError,
    contract_exists_message,
    contract_prefill,
    create_contract_from_opportunity,
    not_won_message,
)
from accountwise.contracts.forms import ContractForm
from accountwise.contracts.models import Contract
from accountwise.contracts.sections import STATUS_PARAM as CONTRACTS_STATUS_PARAM
from accountwise.contracts.sections import (
    account_section_url,
    may_change,
    read_only_response,
    safe_next_url,
    section_page_url,
)
from accountwise.core.concurrency import EditConflict, save_or_show_conflict, save_unless_changed
from accountwise.core.permissions import require_writer
from accountwise.documents.sections import documents_card_context
from accountwise.history.entries import history_card_context
from accountwise.history.views import undo_message
from accountwise.opportunities.actions import (
    OpportunityContactError,
    StageRetiredError,
    add_opportunity_contact,
    change_stage,
    delete_opportunity,
    remove_opportunity_contact,
    set_opportunity_contacts,
)
from accountwise.opportunities.forms import (
    OpportunityContactForm,
    OpportunityContactsForm,
    OpportunityForm,
    QuickUpdateForm,
)
from accountwise.opportunities.models import Opportunity
from accountwise.opportunities.sections import (
    CHANGED_EVENT,
    COLUMN_COUNT,
    DEFAULT_STATUS,
    ENTITY,
    STATUS_FILTERS,
    STATUS_PARAM,
    contact_chart_section_context,
    opportunities_section_context,
    return_url,
    selected_status,
    summary_context,
)
from accountwise.portfolio.sections import saved_filter_for_export, section_filter, section_params

SECTION_TEMPLATE = "opportunities/_opportunities_section.html"
SUMMARY_TEMPLATE = "opportunities/_opportunities_summary.html"
CONTACT_CHART_TEMPLATE = "opportunities/_contact_chart.html"
ROW_TEMPLATE = "opportunities/_opportunity_row.html"
QUICK_UPDATE_TEMPLATE = "opportunities/_quick_update_row.html"


def _row_queryset():
    return Opportunity.objects.select_related("stage", "owner", "contract", "plan").with_contacts()


@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    require_writer(request.user)
    account = _account_from_query(request)
    if account is not None and account.is_archived:
        return read_only_response(request, account)
    opportunity = Opportunity(account=account)

    form = OpportunityForm(
        request.POST or None, instance=opportunity, user=request.user, choose_account=account is None
    )
    # With the account still to choose, contacts are added once the opportunity exists.
    contacts_form = None
    if account is not None:
        contacts_form = OpportunityContactsForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and _forms_valid(form, contacts_form):
        if _save_with_stage(request, form, "created", contacts_form):
            if account is not None:
                return redirect(account_section_url(account, ENTITY, f"{STATUS_PARAM}={opportunity.status}"))
            return redirect(opportunity)

    return render(
        request,
        "opportunities/opportunity_form.html",
        {
            "form": form,
            "contacts_form": contacts_form,
            "account": account,
            "has_account_choices": account is not None or form.fields["account"].queryset.exists(),
            "cancel_url": account.get_absolute_url() if account else reverse("core:home"),
        },
    )


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_for_user(Opportunity.objects.select_related("stage"), request.user, pk, change=True)
    if opportunity.account.is_archived:
        return read_only_response(request, opportunity.account)
    next_url = safe_next_url(request)
    # Validation copies typed values onto the instance, so headings use the name saved before.
    saved_name = opportunity.name

    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    contacts_form = OpportunityContactsForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and _forms_valid(form, contacts_form):
        if save_or_show_conflict(form, lambda: _save_with_stage(request, form, "saved", contacts_form)):
            return redirect(next_url or opportunity.get_absolute_url())

    return render(
        request,
        "opportunities/opportunity_form.html",
        {
            "form": form,
            "contacts_form": contacts_form,
            "account": opportunity.account,
            "opportunity": opportunity,
            "saved_name": saved_name,
            "has_account_choices": True,
            "cancel_url": next_url or opportunity.get_absolute_url(),
        },
    )


@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_for_user(_row_queryset(), request.user, pk)
    can_change = may_change(request.user, opportunity)

    return render(
        request,
        "opportunities/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "account": opportunity.account,
            "contract": _linked_contract(opportunity),
            "can_change": can_change,
            **documents_card_context(opportunity, can_change),
            **history_card_context(request, opportunity),
        },
    )


@require_http_methods(["GET", "POST"])
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_for_user(_row_queryset(), request.user, pk, change=True)
    account = opportunity.account
    if account.is_archived:
        return read_only_response(request, account)

    if request.method == "POST":
        deleted = delete_opportunity(
            opportunity, request.user, delete_documents=request.POST.get("delete_documents") == "1"
        )
        messages.success(request, undo_message(request, opportunity))
        if deleted:
            messages.info(request, f"{deleted} document{'s' if deleted != 1 else ''} deleted with it, for good.")
        return redirect(safe_next_url(request) or account_section_url(account, ENTITY))

    return render(
        request,
        "opportunities/opportunity_confirm_delete.html",
        {
            "opportunity": opportunity,
            "account": account,
            "contract": _linked_contract(opportunity),
            "document_count": opportunity.documents.count(),
            "cancel_url": safe_next_url(request) or opportunity.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def opportunity_quick_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Swap a section row for the stage and value form, and save it in place.

    Only htmx requests get the inline form; others go to the full edit page,
    which is also where the row's icon links without JavaScript.
    """
    opportunity = get_for_user(_row_queryset(), request.user, pk, change=True)
    if opportunity.account.is_archived:
        return read_only_response(request, opportunity.account)
    if not request.htmx:
        return _vary_on_htmx(redirect("opportunities:edit", pk=opportunity.pk))

    form = QuickUpdateForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        stage, value = form.cleaned_data["stage"], form.cleaned_data["value"]
        try:
            became_won = save_unless_changed(
                form, lambda: change_stage(opportunity, stage, value, request.user)
            )
        except StageRetiredError as error:
            form.add_error("stage", str(error))
        except EditConflict as conflict:
            form.show_conflict(conflict.stored)
        else:
            context = _row_context(request, opportunity, can_change=True)
            context["won_offer"] = became_won
            context["contract"] = _linked_contract(opportunity)
            response = render(request, ROW_TEMPLATE, context)
            trigger_client_event(response, CHANGED_EVENT)
            return _vary_on_htmx(response)

    context = _row_context(request, opportunity, can_change=True)
    context["form"] = form
    return _vary_on_htmx(render(request, QUICK_UPDATE_TEMPLATE, context))


@require_GET
def opportunity_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve one section row, for htmx to put back when an inline update is cancelled."""
    opportunity = get_for_user(_row_queryset(), request.user, pk)
    if not request.htmx:
        return _vary_on_htmx(redirect(opportunity))

    context = _row_context(request, opportunity, can_change=may_change(request.user, opportunity))
    return _vary_on_htmx(render(request, ROW_TEMPLATE, context))


@require_http_methods(["GET", "POST"])
def opportunity_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Associate a contact with an opportunity: inline on its section row for htmx, else on a page."""
    opportunity = get_for_user(_row_queryset(), request.user, pk, change=True)
    if opportunity.account.is_archived:
        return read_only_response(request, opportunity.account)
    next_url = safe_next_url(request)

    form = OpportunityContactForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            add_opportunity_contact(opportunity, contact, form.cleaned_data["buying_role"], request.user)
        except OpportunityContactError as error:
            form.add_error("contact", str(error))
        else:
            if request.htmx:
                return _row_response(request, opportunity.pk)
            messages.success(request, f"{contact} added to the opportunity {opportunity.name}.")
            return redirect(next_url or opportunity.get_absolute_url())

    if request.htmx:
        context = _row_context(request, opportunity, can_change=True)
        context["contact_form"] = form
        return _vary_on_htmx(render(request, ROW_TEMPLATE, context))
    context = {
        "form": form,
        "opportunity": opportunity,
        "account": opportunity.account,
        "next_url": next_url,
        "cancel_url": next_url or opportunity.get_absolute_url(),
    }
    return _vary_on_htmx(render(request, "opportunities/opportunity_contact_form.html", context))


@require_POST
def opportunity_contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    opportunity = get_for_user(_row_queryset(), request.user, pk, change=True)
    if opportunity.account.is_archived:
        return read_only_response(request, opportunity.account)
    contact = get_object_or_404(Contact, pk=contact_pk, account_id=opportunity.account_id)

    remove_opportunity_contact(opportunity, contact, request.user)
    if request.htmx:
        return _row_response(request, opportunity.pk)
    messages.success(request, f"{contact} removed from the opportunity {opportunity.name}.")
    return _vary_on_htmx(redirect(safe_next_url(request) or opportunity.get_absolute_url()))


@require_GET
def opportunities_section(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, account_pk)

    if not request.htmx:
        query = section_params(request.GET, ENTITY).urlencode()
        return _vary_on_htmx(redirect(account_section_url(account, ENTITY, query)))

    context = opportunities_section_context(request, account, may_change(request.user, account))
    response = render(request, SECTION_TEMPLATE, context)
    # The filter form cannot know the page URL its values make, so the response sets the address bar.
    push_url(response, section_page_url(request, account, ENTITY))
    return _vary_on_htmx(response)


@require_GET
def opportunities_summary(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Serve the section header's figures, which htmx reloads after an in-place update."""
    account = get_account_for_user(request.user, account_pk)
    status = selected_status(request, STATUS_PARAM, STATUS_FILTERS, DEFAULT_STATUS)

    if not request.htmx:
        return _vary_on_htmx(redirect(account_section_url(account, ENTITY, f"{STATUS_PARAM}={status}")))
    saved_filter = saved_filter_for_export(request, ENTITY)
    opportunities = section_filter(request, ENTITY, account.opportunities.with_status(status), saved_filter).qs
    summary = summary_context(request, account, status, opportunities)
    return _vary_on_htmx(render(request, SUMMARY_TEMPLATE, {"summary": summary}))


@require_GET
def opportunities_contact_chart(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Serve the section's opportunity contact chart, which htmx reloads after an in-place change."""
    account = get_account_for_user(request.user, account_pk)

    if not request.htmx:
        return _vary_on_htmx(redirect(account_section_url(account, ENTITY)))
    context = {"chart": contact_chart_section_context(account)}
    return _vary_on_htmx(render(request, CONTACT_CHART_TEMPLATE, context))


@require_http_methods(["GET", "POST"])
def opportunity_create_contract(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_for_user(_row_queryset(), request.user, pk, change=True)
    account = opportunity.account
    if account.is_archived:
        return read_only_response(request, account)

    existing = _linked_contract(opportunity)
    if existing is not None:
        return _contract_exists_response(request, opportunity, existing)
    if not opportunity.is_won:
        messages.error(request, not_won_message(opportunity))
        return redirect(opportunity)

    form = ContractForm(
        request.POST or None,
        instance=Contract(account=account),
        user=request.user,
        initial=contract_prefill(opportunity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = create_contract_from_opportunity(opportunity, request.user, form.cleaned_data)
        except ContractExistsError as error:
            return _contract_exists_response(request, opportunity, error.contract)
        messages.success(request, f"Contract {contract.name} created from the opportunity {opportunity.name}.")
        if notice := form.missing_description_notice():
            messages.info(request, notice)
        return redirect(
            f"{account.get_absolute_url()}?{CONTRACTS_STATUS_PARAM}={contract.status}#contracts-section"
        )

    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "account": account,
            "opportunity": opportunity,
            "has_account_choices": True,
            "cancel_url": opportunity.get_absolute_url(),
        },
    )


def _contract_exists_response(request: HttpRequest, opportunity: Opportunity, contract: Contract) -> HttpResponse:
    """Show the opportunity's contract instead, or, when it is in Deleted items, say so on the opportunity."""
    if contract.deleted_at is not None:
        messages.warning(request, contract_exists_message(opportunity, contract))
        return redirect(opportunity)
    messages.info(request, contract_exists_message(opportunity, contract))
    return redirect(contract)


def _forms_valid(form: OpportunityForm, contacts_form: OpportunityContactsForm | None) -> bool:
    # Both forms validate, so that one submission shows the errors of both.
    valid = form.is_valid()
    return (contacts_form is None or contacts_form.is_valid()) and valid


def _save_with_stage(
    request: HttpRequest,
    form: OpportunityForm,
    verb: str,
    contacts_form: OpportunityContactsForm | None = None,
) -> bool:
    """Save a valid opportunity form through change_stage, then its contacts, and add the success message.

    When the save makes the opportunity closed won, a second message offers
    to create a contract from it.

    Return False, with the error on the stage field, when the stage was
    retired after the form was shown.
    """
    opportunity = form.save(commit=False)
    try:
        became_won = change_stage(
            opportunity, form.cleaned_data["stage"], form.cleaned_data["value"], request.user
        )
    except StageRetiredError as error:
        form.add_error("stage", str(error))
        return False
    if contacts_form is not None:
        set_opportunity_contacts(opportunity, contacts_form.roles(), request.user)

    messages.success(request, f"Opportunity {opportunity.name} {verb}.")
    if became_won:
        messages.success(request, _won_offer_message(opportunity))
    return True


def _won_offer_message(opportunity: Opportunity) -> str:
    contract = Contract.objects.filter(opportunity=opportunity).first()
    if contract is not None:
        return format_html(
            'Closed won. {} already has a contract: <a href="{}">{}</a>.',
            opportunity.name, contract.get_absolute_url(), contract.name,
        )
    return format_html(
        'Closed won. Create a contract from this opportunity? '
        '<a class="btn btn-sm btn-success ms-2" href="{}"><i class="bi bi-file-earmark-plus"></i> Create contract</a>',
        reverse("opportunities:create-contract", args=[opportunity.pk]),
    )


def _row_response(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an opportunity's section row afresh after a change to it, and tell the page."""
    opportunity = _row_queryset().get(pk=pk)
    response = render(request, ROW_TEMPLATE, _row_context(request, opportunity, can_change=True))
    trigger_client_event(response, CHANGED_EVENT)
    return _vary_on_htmx(response)


def _row_context(request: HttpRequest, opportunity: Opportunity, *, can_change: bool) -> dict:
    return {
        "opportunity": opportunity,
        "can_change": can_change,
        "return_url": return_url(request, opportunity.account),
        "column_count": COLUMN_COUNT,
    }


def _linked_contract(opportunity: Opportunity) -> Contract | None:
    try:
        return opportunity.contract
    except ObjectDoesNotExist:
        return None




def _account_from_query(request: HttpRequest):
    """Return the account named by ?account=, authorised for change, or None for the account chooser."""
    raw = request.GET.get("account", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such account.")
    return get_account_for_user(request.user, int(raw), change=True)


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response
