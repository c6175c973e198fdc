from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.core.permissions import is_administrator, require_administrator, require_change
from accountwise.history.deletion import (
    DELETABLE,
    RestoreError,
    deleted_items,
    kind_of,
    may_restore,
    purge_date,
    restore,
    retention,
    soft_delete,
)


def _model_for(kind: str):
    try:
        return DELETABLE[kind]
    except KeyError:
        raise Http404("No such kind of record.") from None


@require_GET
def deleted_item_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    context = {"items": deleted_items(), "retention_days": retention().days}
    return render(request, "history/deleted_items.html", context)


@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Ask, then delete an account or a contract softly; the success message offers to undo it."""
    model = _model_for(kind)
    record = get_object_or_404(model.objects.select_related(*([] if kind == "account" else ["account"])), pk=pk)
    require_change(request.user, record)
    account = record if kind == "account" else record.account
    if account.is_archived:
        messages.warning(request, f"{account} is archived, so it cannot be changed. Restore it first.")
        return redirect(account)

    if request.method == "POST":
        soft_delete(record, request.user)
        messages.success(request, undo_message(request, record))
        return redirect(reverse("accounts:list") if kind == "account" else account.get_absolute_url())

    context = {
        "record": record,
        "kind": kind,
        "account": account,
        "retention_days": retention().days,
        "contract_count": record.contracts.count() if kind == "account" else 0,
        "opportunity_count": record.opportunities.count() if kind == "account" else 0,
    }
    return render(request, "history/record_confirm_delete.html", context)


@require_POST
def record_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Restore a deleted record: any for an administrator, one's own deletion for its author (undo)."""
    model = _model_for(kind)
    record = get_object_or_404(model.all_objects.filter(deleted_at__isnull=False), pk=pk)
    if not may_restore(request.user, record):
        raise Http404

    try:
        restore(record, request.user)
    except RestoreError as error:
        messages.error(request, str(error))
        return redirect("history:deleted-items" if is_administrator(request.user) else "accounts:list")
    messages.success(request, f"{record} restored.")
    return redirect(record)


def undo_message(request: HttpRequest, record) -> str:
    """Return the success message of a deletion, with an Undo button that restores the record."""
    kind = kind_of(record)
    return format_html(
        '{} {} deleted. An administrator can restore it until {}. '
        '<form class="d-inline" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="btn btn-sm btn-outline-success ms-2">'
        '<i class="bi bi-arrow-counterclockwise"></i> Undo</button></form>',
        kind.capitalize(), record, purge_date(record).strftime("%b %-d, %Y"),
        reverse("history:restore", args=[kind, record.pk]), get_token(request),
    )
