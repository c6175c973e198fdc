import logging
import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accountwise.accounts.access import get_account_for_user, get_for_user
from accountwise.contracts.sections import safe_next_url
from accountwise.core.models import Organisation
from accountwise.documents.actions import add_link, add_upload, delete_document
from accountwise.documents.forms import DocumentForm
from accountwise.documents.models import Document, DocumentKind

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "documents/document_form.html"
FORM_PARTIAL = "documents/_document_form.html"


@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Add a document to an account, preselecting ?contract= or ?opportunity= as its owner.

    The upload and link tabs switch through htmx, which gets the form alone
    and sends along the title and owner typed so far.
    """
    account = get_account_for_user(request.user, account_pk, change=True)
    if account.is_archived:
        return _read_only_response(request, account)
    kind = request.POST.get("kind") or request.GET.get("kind")
    kind = kind if kind in DocumentKind.values else DocumentKind.UPLOAD

    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        account=account,
        kind=kind,
        known_providers_only=Organisation.get().document_links_known_providers_only,
        initial=_initial_values(request),
    )
    if request.method == "POST" and form.is_valid():
        document = _add_document(request, account, form)
        messages.success(request, f"Document {document.title} added.")
        return redirect(safe_next_url(request) or _owner_page(document))

    tabs = _kind_tabs(request, account, kind)
    context = {
        "form": form,
        "account": account,
        "tabs": tabs,
        "form_action": next(tab["href"] for tab in tabs if tab["active"]),
        "cancel_url": safe_next_url(request) or _owner_page_from_form(form),
        "next_url": safe_next_url(request) or "",
    }
    switching_tabs = request.htmx and not request.htmx.history_restore_request
    response = render(request, FORM_PARTIAL if switching_tabs else FORM_TEMPLATE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_user(Document.objects.uploads(), request.user, pk)

    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Document %s of account %s: stored file %s is missing from storage",
            document.pk, document.account_id, document.file.name,
        )
        context = {"document": document, "account": document.account}
        return render(request, "documents/file_missing.html", context, status=404)

    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = attachment_header(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_user(Document.objects.for_listing(), request.user, pk, change=True)
    account = document.account
    if account.is_archived:
        return _read_only_response(request, account)
    owner_page = _owner_page(document)

    if request.method == "POST":
        delete_document(document, request.user)
        messages.success(request, f"Document {document.title} deleted.")
        return redirect(safe_next_url(request) or owner_page)

    context = {
        "document": document,
        "account": account,
        "cancel_url": safe_next_url(request) or owner_page,
        "next_url": safe_next_url(request) or "",
    }
    return render(request, "documents/document_confirm_delete.html", context)


def attachment_header(name: str) -> str:
    """Return a Content-Disposition header that downloads the file under its original name.

    Clients that do not read RFC 5987's UTF-8 `filename*` use the ASCII
    `filename`, in which accents are dropped and other characters become "_".
    """
    ascii_name = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\' else "_"
        for char in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(char)
    )
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=utf-8''{quote(name, safe='')}"
    return header


def _read_only_response(request: HttpRequest, account) -> HttpResponse:
    messages.warning(request, f"{account} is archived, so its documents cannot be changed. Restore it first.")
    if request.htmx:
        return HttpResponseClientRedirect(account.get_absolute_url())
    return redirect(account)


def _add_document(request: HttpRequest, account, form: DocumentForm) -> Document:
    data = form.cleaned_data
    owners = {"contract": data["contract"], "opportunity": data["opportunity"]}
    if form.kind == DocumentKind.UPLOAD:
        return add_upload(
            account, data["file"], data["file_type"], name=data["name"], title=data["title"],
            user=request.user, **owners,
        )
    return add_link(
        account, data["url"], data["provider"], title=data["title"], user=request.user, **owners
    )


def _initial_values(request: HttpRequest) -> dict:
    """Return the owner from ?contract= or ?opportunity=, and a title carried over from the other tab."""
    initial = {"title": request.GET.get("title", "")}
    if "belongs_to" in request.GET:
        initial["belongs_to"] = request.GET["belongs_to"]
    elif request.GET.get("contract", "").isdigit():
        initial["belongs_to"] = f"contract-{request.GET['contract']}"
    elif request.GET.get("opportunity", "").isdigit():
        initial["belongs_to"] = f"opportunity-{request.GET['opportunity']}"
    return initial


def _kind_tabs(request: HttpRequest, account, current: str) -> list[dict]:
    """Build the upload and link tabs: a full-page href, and the same URL for htmx."""
    base = reverse("documents:create", args=[account.pk])
    params = request.GET.copy()
    tabs = []
    for kind, label, icon in [
        (DocumentKind.UPLOAD, "Upload a file", "bi-upload"),
        (DocumentKind.LINK, "Link a document", "bi-link-45deg"),
    ]:
        params["kind"] = kind.value
        params.pop("title", None)
        params.pop("belongs_to", None)
        tabs.append({"kind": kind.value, "label": label, "icon": icon, "active": kind == current,
                     "href": f"{base}?{params.urlencode()}"})
    return tabs


def _owner_page(document: Document) -> str:
    """Return the page that shows the document: its contract, its opportunity, or the account's Documents tab.

    A deleted contract or opportunity has no page, so its documents lead to the Documents tab.
    """
    owner = document.belongs_to
    if owner is not None and owner.deleted_at is None:
        return f"{owner.get_absolute_url()}#documents"
    return reverse("accounts:documents", args=[document.account_id])


def _owner_page_from_form(form: DocumentForm) -> str:
    owner = form.selected_owner()
    if owner is not None:
        return f"{owner.get_absolute_url()}#documents"
    return reverse("accounts:documents", args=[form.account.pk])

