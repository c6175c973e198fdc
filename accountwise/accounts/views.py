from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.accounts.access import get_account_for_user, get_for_user, with_parent_shared
from accountwise.accounts.actions import archive_account, restore_account
from accountwise.accounts.filters import AccountFilter, account_list_queryset
from accountwise.accounts.forms import (
    AccountForm,
    ContactForm,
    find_same_name,
)
from accountwise.accounts.models import Account, Contact
from accountwise.accounts.relationship_map import build_relationship_map
from accountwise.contracts.sections import contracts_section_context
from accountwise.core.concurrency import save_or_show_conflict
from accountwise.core.context_processors import organisation
from accountwise.core.permissions import can_change, can_create_account, viewable_accounts
from accountwise.documents.sections import documents_section_context, documents_tab_context
from accountwise.history.entries import account_sources, history_card_context, history_page
from accountwise.opportunities.contact_chart import contact_page_context, with_opportunity_figures
from accountwise.opportunities.sections import opportunities_section_context
from accountwise.plans.tab import plans_tab_context
from accountwise.portfolio.scope import filtered_accounts
from accountwise.portfolio.scope import is_active as account_filter_active

ACCOUNTS_PER_PAGE = 25

# The tabs of an account page, in display order.
ACCOUNT_TABS = [
    {"key": "details", "label": "Details", "url_name": "accounts:detail",
     "icon": "bi-info-circle"},
    {"key": "contacts", "label": "Contacts", "url_name": "accounts:contacts",
     "icon": "bi-person-lines-fill"},
    {"key": "plans", "label": "Plans", "url_name": "accounts:plans", "icon": "bi-flag"},
    {"key": "documents", "label": "Documents", "url_name": "accounts:documents",
     "icon": "bi-folder2-open"},
    {"key": "history", "label": "History", "url_name": "accounts:history",
     "icon": "bi-clock-history"},
]

# Sortable list columns: sort key and header label. Updated sorts newest first on first click.
LIST_COLUMNS = [
    ("name", "Name"),
    ("type", "Type"),
    ("owner", "Owner"),
    ("industry", "Industry"),
    ("country", "Country"),
    ("updated", "Updated"),
]


def _sort_columns(current: str) -> dict[str, dict]:
    """Describe each sortable column: the sort a click on its header applies, and its state."""
    descending = current.startswith("-")
    current_key = current.removeprefix("-")
    columns = {}
    for key, label in LIST_COLUMNS:
        if key == current_key:
            next_sort = key if descending else f"-{key}"
            direction = "descending" if descending else "ascending"
        else:
            next_sort = f"-{key}" if key == "updated" else key
            direction = None
        columns[key] = {"label": label, "sort": next_sort, "direction": direction}
    return columns


def account_list(request: HttpRequest) -> HttpResponse:
    # The list starts from the account filter the user keeps across pages, if they set one.
    accounts = with_parent_shared(account_list_queryset(filtered_accounts(request)), request.user)
    account_filter = AccountFilter(request.GET, queryset=accounts)
    page = Paginator(account_filter.qs, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))

    context = {
        "filter": account_filter,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "columns": _sort_columns(account_filter.sort_key),
        # Distinguishes "no accounts yet" from "none match", at one query only on an empty page.
        "accounts_exist": page.paginator.count > 0 or accounts.exists(),
        "account_filter_active": account_filter_active(request),
    }
    # A history restore requests the whole page, although it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        template = "accounts/_account_results.html"
    else:
        template = "accounts/account_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _save_account(form: AccountForm) -> bool:
    """Save the form, or put the duplicate-name error on its name field and return False.

    The form checks the name first. This also covers another user saving the same
    name between that check and the insert, which the database constraint rejects.
    """
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        existing = find_same_name(form.cleaned_data["name"], exclude=form.instance)
        if existing is None:
            raise
        form.add_error("name", form.name_taken_message(existing))
        form.fields["name"].widget.attrs["class"] += " is-invalid"
        return False
    return True


def _read_only_response(request: HttpRequest, account: Account) -> HttpResponse:
    messages.warning(request, f"{account} is archived, so it cannot be changed. Restore it first.")
    return redirect(account)


@require_http_methods(["GET", "POST"])
def account_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not can_create_account(request.user):
            raise PermissionDenied
        account = Account(owner=request.user)
    else:
        account = get_account_for_user(request.user, pk, change=True)
        if account.is_archived:
            return _read_only_response(request, account)

    # Validation copies typed values onto the instance, so headings use the name saved before.
    saved_name = account.name
    form = AccountForm(request.POST or None, instance=account, user=request.user, link_deleted_items=True)
    if request.method == "POST" and form.is_valid() and save_or_show_conflict(form, lambda: _save_account(form)):
        verb = "created" if pk is None else "saved"
        messages.success(request, f"Account {account} {verb}.")
        return redirect(account)

    context = {
        "form": form, "account": account, "saved_name": saved_name, "editing": pk is not None,
    }
    return render(request, "accounts/account_form.html", context)


@require_POST
def account_archive(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, change=True)

    if not account.is_archived:
        archive_account(account, request.user)
    messages.success(
        request, f"{account} archived. It no longer shows among active accounts, and you can "
                 "restore it from its page at any time."
    )
    return redirect(account)


@require_POST
def account_restore(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, change=True)

    if account.is_archived:
        restore_account(account, request.user)
    messages.success(request, f"{account} restored.")
    return redirect(account)


def _tab_context(request: HttpRequest, account: Account, active_tab: str) -> dict:
    """Return the context of the account header and tabs, calling the permission policy once."""
    may_change = can_change(request.user, account)
    return {
        "account": account,
        "tabs": ACCOUNT_TABS,
        "active_tab": next(tab for tab in ACCOUNT_TABS if tab["key"] == active_tab),
        # Archive and restore need only can_change. Any other change to the account or
        # to what belongs to it also needs the account to be active.
        "can_change": may_change,
        "is_editable": may_change and not account.is_archived,
    }


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)

    context = _tab_context(request, account, "details")
    context["team"] = account.team_members.all()
    context["subsidiaries"] = viewable_accounts(request.user).filter(parent=account).order_by("name")
    context["key_players"] = account.contacts.key_players().select_related("relationship_owner")
    # The sections may offer changes only where the rest of the page does.
    context.update(contracts_section_context(request, account, context["is_editable"]))
    context.update(opportunities_section_context(request, account, context["is_editable"]))
    context.update(documents_section_context(request, account, context["is_editable"]))
    return render(request, "accounts/account_detail.html", context)


def account_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """List the account's contacts, or with ?view=map draw them as the relationship map."""
    account = get_account_for_user(request.user, pk)
    view = "map" if request.GET.get("view") == "map" else "list"

    context = _tab_context(request, account, "contacts")
    context["view"] = view
    context["contacts"] = list(account.contacts.select_related("reports_to", "relationship_owner"))
    if view == "map":
        context["relationship_map"] = build_relationship_map(context["contacts"])
    # A history restore requests the whole page, although it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        template = "accounts/_contacts_view.html"
    else:
        template = "accounts/account_contacts.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def account_plans(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)

    context = _tab_context(request, account, "plans")
    context.update(plans_tab_context(account))
    return render(request, "plans/account_plans.html", context)


def account_documents(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)

    context = _tab_context(request, account, "documents")
    context.update(documents_tab_context(account, context["is_editable"]))
    return render(request, "accounts/account_documents.html", context)


def account_history(request: HttpRequest, pk: int) -> HttpResponse:
    """List the changes to the account and everything on it, newest first."""
    account = get_account_for_user(request.user, pk)

    context = _tab_context(request, account, "history")
    currency = organisation(request)["organisation"].currency
    context["history"] = history_page(account_sources(account), request.GET.get("page"), currency)
    return render(request, "history/account_history.html", context)


@require_http_methods(["GET", "POST"])
def contact_form(
    request: HttpRequest, account_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is None:
        account = get_account_for_user(request.user, account_pk, change=True)
        contact = Contact(account=account, is_key_player=request.GET.get("key_player") == "1")
    else:
        contact = get_for_user(Contact.objects, request.user, pk, change=True)
        account = contact.account
    if account.is_archived:
        return _read_only_response(request, account)

    saved_name = contact.full_name
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid() and save_or_show_conflict(form, form.save):
        verb = "added" if pk is None else "saved"
        messages.success(request, f"Contact {contact} {verb}.")
        return redirect(reverse("accounts:contacts", args=[account.pk]) + f"#contact-{contact.pk}")

    context = {
        "form": form, "account": account, "saved_name": saved_name, "editing": pk is not None,
    }
    return render(request, "accounts/contact_form.html", context)


@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a contact with its reporting line and the opportunity contact chart of its business."""
    queryset = with_opportunity_figures(Contact.objects.select_related("reports_to", "relationship_owner"))
    contact = get_for_user(queryset, request.user, pk)
    account = contact.account

    context = {
        "contact": contact,
        "account": account,
        "is_editable": can_change(request.user, contact) and not account.is_archived,
        "reports": list(contact.reports.all()),
        "opportunity_links": list(
            contact.opportunity_links.select_related("opportunity__stage", "opportunity__owner")
            .order_by("opportunity__close_date", "opportunity__pk")
        ),
        **contact_page_context(contact),
        **history_card_context(request, contact),
    }
    return render(request, "accounts/contact_detail.html", context)


@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_for_user(Contact.objects, request.user, pk, change=True)
    account = contact.account
    if account.is_archived:
        return _read_only_response(request, account)

    if request.method == "POST":
        contact.delete()
        messages.success(request, f"Contact {contact} deleted.")
        return redirect(reverse("accounts:contacts", args=[account.pk]))

    context = {
        "contact": contact,
        "account": account,
        "reports": contact.reports.all(),
        "opportunity_count": contact.opportunity_links.count(),
    }
    return render(request, "accounts/contact_confirm_delete.html", context)
