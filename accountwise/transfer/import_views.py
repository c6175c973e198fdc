"""The import wizard: upload, map columns, map stages, preview, then the result with its progress; and the history."""

from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accountwise.core.permissions import require_import
from accountwise.opportunities.models import StageKind
from accountwise.transfer import actions
from accountwise.transfer.access import get_own_run, get_run_for_user
from accountwise.transfer.forms import ColumnsForm, FileSettingsForm, StagesForm, StartForm, UploadForm
from accountwise.transfer.mapping import (
    ACCOUNTS,
    CONTACTS,
    CONTRACTS,
    ENTITIES,
    OPPORTUNITIES,
    REQUIRED_ONE_OF,
    MappingError,
    field_specs,
    match_columns,
)
from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.parsing import cell_text
from accountwise.transfer.progress import current_progress, is_stale
from accountwise.transfer.readers import ImportFileError
from accountwise.transfer.stages import StageMapError

HISTORY_PAGE_SIZE = 25
# Invalid rows listed, with their problems, on the preview and result pages.
INVALID_ROWS_SHOWN = 20
# Values shown under each column on the column step.
SAMPLE_ROWS = 3
ENTITY_NOUNS = {
    ACCOUNTS: ("account", "accounts"),
    CONTACTS: ("contact", "contacts"),
    CONTRACTS: ("contract", "contracts"),
    OPPORTUNITIES: ("opportunity", "opportunities"),
}
PHASE_LABELS = {"checking": "Checking rows", "importing": "Importing rows", "saving": "Saving"}


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    require_import(request.user)

    entity = request.GET.get("entity")
    form = UploadForm(request.POST or None, request.FILES or None, initial={"entity": entity if entity in ENTITIES else ACCOUNTS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = actions.save_upload(request.user, data["entity"], data["file"], form.table, data["references"])
        return redirect("transfer:import-columns", run.pk)

    recent = ImportRun.objects.visible_to(request.user).select_related("created_by")[:3]
    return render(request, "transfer/import_start.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_own_run(request.user, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect(run)
    try:
        table = actions.open_table(run)
    except ImportFileError as error:
        return _file_error(request, run, error)

    settings_form = FileSettingsForm(initial=run.options, table=table)
    if request.method == "POST" and "read_again" in request.POST:
        settings_form = FileSettingsForm(request.POST, table=table)
        if settings_form.is_valid() and _change_file_settings(run, settings_form):
            return redirect("transfer:import-columns", run.pk)

    mapping = _current_mapping(run, table.headers)
    data = request.POST if request.method == "POST" and "read_again" not in request.POST else None
    form = ColumnsForm(data, mapping=mapping, user=request.user, initial=run.options)
    if data is not None and form.is_valid():
        run.mapping = form.mapping()
        run.options.update(form.options())
        run.save(update_fields=["mapping", "options", "updated_at"])
        next_step = "transfer:import-stages" if run.entity == OPPORTUNITIES else "transfer:import-preview"
        return redirect(next_step, run.pk)

    samples = [row.values for row in table.first_rows(SAMPLE_ROWS)]
    columns = [
        (field, [text for values in samples if (text := _sample(values, index))])
        for index, field in enumerate(form.column_fields)
    ]
    context = {"run": run, "table": table, "form": form, "settings_form": settings_form, "columns": columns,
               "fields": _field_rows(run.entity), "step": "columns"}
    return render(request, "transfer/import_columns.html", context)


def _field_rows(entity: str) -> list[tuple[str, str]]:
    """Return each field's label with what it needs: "required", "or full name", or nothing."""
    labels = {spec.name: spec.label for spec in field_specs(entity)}
    rows = []
    for spec in field_specs(entity):
        note = "required" if spec.required else ""
        for names in REQUIRED_ONE_OF.get(entity, ()):
            if spec.name in names:
                note = "required, or " + " or ".join(labels[name] for name in names if name != spec.name)
        rows.append((spec.label[:1].upper() + spec.label[1:], note))
    return rows


def _change_file_settings(run: ImportRun, form: FileSettingsForm) -> bool:
    """Read the file with the chosen sheet, encoding or delimiter; keep them when that works."""
    chosen = {key: form.cleaned_data.get(key) or None for key in ("sheet", "encoding", "delimiter") if key in form.fields}
    try:
        actions.open_table(run, **chosen)
    except ImportFileError as error:
        form.add_error(None, str(error))
        return False
    run.options.update(chosen)
    # Another sheet or delimiter gives other columns, so the columns are matched again.
    run.mapping = {}
    run.save(update_fields=["options", "mapping", "updated_at"])
    return True


def _current_mapping(run: ImportRun, headers: list[str]):
    """Return the columns as last chosen, or as matched from the headers and their synonyms."""
    if run.mapping:
        try:
            return match_columns(headers, run.entity, run.mapping)
        except MappingError:
            pass
    return match_columns(headers, run.entity)


def _sample(values: tuple, index: int) -> str:
    value = values[index] if index < len(values) else None
    return "" if value is None else str(value)


@require_http_methods(["GET", "POST"])
def import_stages(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_own_run(request.user, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect(run)
    try:
        table = actions.open_table(run)
        unknown = actions.unknown_stages(table, actions.column_mapping(run, table))
    except (ImportFileError, MappingError) as error:
        return _file_error(request, run, error)
    if not unknown:
        actions.save_stage_choices(run, {})
        return redirect("transfer:import-preview", run.pk)

    form = StagesForm(request.POST or None, unknown=unknown, user=request.user, initial=_stage_initial(run, unknown))
    if request.method == "POST" and form.is_valid():
        actions.save_stage_choices(run, form.choices())
        return redirect("transfer:import-preview", run.pk)

    return render(request, "transfer/import_stages.html", {"run": run, "form": form, "step": "stages"})


def _stage_initial(run: ImportRun, unknown: dict[str, int]) -> dict[str, str]:
    stage_map = run.options.get("stage_map") or {}
    initial = {}
    for index, name in enumerate(unknown):
        if name in stage_map:
            initial[f"stage_{index}"] = stage_map[name]
        elif run.options.get("create_stages"):
            initial[f"stage_{index}"] = actions.CREATE_STAGE
    return initial


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_own_run(request.user, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect(run)

    if request.method == "POST":
        form = StartForm(request.POST)
        form.is_valid()
        actions.queue_import(run, form.cleaned_data.get("skip_invalid", False))
        return redirect("transfer:import-result", run.pk)

    try:
        preview = actions.preview_import(run)
    except (ImportFileError, MappingError, StageMapError) as error:
        messages.error(request, f"{error}. Check the columns and stages again.")
        return redirect("transfer:import-columns", run.pk)

    errors_by_line = preview.result.errors_by_line()
    shown_lines = {row.line for row in preview.first_rows}
    later = [(e.line, e.column, e.message) for e in preview.result.errors if e.line not in shown_lines]
    columns = sorted(preview.mapping.columns.items(), key=lambda item: item[1])
    context = {
        "run": run,
        "preview": preview,
        "result": preview.result,
        "columns": [(preview.mapping.spec(name).label, preview.mapping.headers[index]) for name, index in columns],
        "rows": [
            (row.line, [cell_text(row.value(index)) for _, index in columns], errors_by_line.get(row.line, []))
            for row in preview.first_rows
        ],
        "later_rows": (later_rows := _group_errors(later)),
        "later_rows_hidden": len({line for line, _, _ in later}) - len(later_rows),
        "stage_totals": _stage_totals({kind: (t.count, t.value) for kind, t in preview.result.by_stage_kind.items()}),
        "noun": ENTITY_NOUNS[run.entity][preview.result.row_count != 1],
        "valid_count": preview.result.created + preview.result.updated + preview.result.unchanged,
        "failing_columns": _columns_failing_every_row(preview.result),
        "step": "preview",
    }
    return render(request, "transfer/import_preview.html", context)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_own_run(request.user, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect(run)

    for file in (run.file, run.references_file):
        if file:
            file.delete(save=False)
    run.delete()
    messages.info(request, f"The import of {run.file_name} was cancelled; nothing was imported.")
    return redirect("transfer:import-start")


@require_safe
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk)
    if run.status == ImportStatus.DRAFT and run.created_by_id == request.user.pk:
        return redirect("transfer:import-columns", run.pk)

    template = "transfer/_import_status.html" if request.htmx else "transfer/import_result.html"
    response = render(request, template, _result_context(request, run))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _result_context(request: HttpRequest, run: ImportRun) -> dict:
    done, phase = current_progress(run) if run.status == ImportStatus.RUNNING else (run.processed_rows, run.phase)
    percent = min(100, round(100 * done / run.row_count)) if run.row_count else 0
    summary = run.summary or {}
    totals = {kind: (figures["count"], Decimal(figures["value"])) for kind, figures in summary.get("by_stage_kind", {}).items()}
    return {
        "run": run,
        "done": done,
        "percent": percent,
        "phase_label": PHASE_LABELS.get(phase, PHASE_LABELS["importing"]),
        "stale": is_stale(run),
        "may_run": run.created_by_id == request.user.pk,
        "summary": summary,
        "stage_totals": _stage_totals(totals),
        "invalid_rows": (invalid_rows := _group_errors([(e["line"], e["column"], e["message"]) for e in summary.get("errors", [])])),
        "invalid_rows_hidden": run.rejected_count - len(invalid_rows),
    }


def _columns_failing_every_row(result) -> list[str]:
    """Return the columns with an error on every row of a file of several rows, likely mapped wrongly."""
    lines_by_column: dict[str, set[int]] = {}
    for error in result.errors:
        if error.column:
            lines_by_column.setdefault(error.column, set()).add(error.line)
    return [column for column, lines in lines_by_column.items() if result.row_count > 1 and len(lines) == result.row_count]


def _group_errors(errors: list[tuple[int, str | None, str]]) -> list[tuple[int, list[str]]]:
    """Return the first invalid rows, each line with its problems, in file order."""
    grouped: dict[int, list[str]] = {}
    for line, column, message in errors:
        if line not in grouped and len(grouped) == INVALID_ROWS_SHOWN:
            continue
        grouped.setdefault(line, []).append(f"{column}: {message}" if column else message)
    return sorted(grouped.items())


def _stage_totals(totals: dict) -> list[tuple[str, int, Decimal]]:
    """Return (label, count, value) for each stage kind with rows, in the usual order."""
    return [(kind.label, *totals[kind]) for kind in StageKind if kind in totals]


@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Perform a queued import in this request, which the result page sends once and then polls."""
    run = get_own_run(request.user, pk)
    if actions.claim_import(run):
        run.refresh_from_db()
        actions.perform_import(run)

    if request.htmx:
        return HttpResponse(status=204)
    return redirect("transfer:import-result", run.pk)


@require_POST
def import_restart(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_own_run(request.user, pk)
    if is_stale(run):
        actions.restart_import(run)
    return redirect("transfer:import-result", run.pk)


@require_safe
def import_rejects(request: HttpRequest, pk: int) -> FileResponse:
    run = get_run_for_user(request.user, pk)
    if not run.rejects_file:
        raise Http404("This import has no rejected rows.")

    filename = f"{Path(run.file_name).stem}-rejects.csv"
    response = FileResponse(
        run.rejects_file.open("rb"), as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The file contains customer data, so no shared cache may store it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def import_history(request: HttpRequest) -> HttpResponse:
    require_import(request.user)

    runs = ImportRun.objects.visible_to(request.user).select_related("created_by")
    page = Paginator(runs, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "runs": page.object_list, "show_user": request.user.is_administrator}
    return render(request, "transfer/import_history.html", context)


def _file_error(request: HttpRequest, run: ImportRun, error: Exception) -> HttpResponse:
    return render(request, "transfer/import_file_error.html", {"run": run, "error": error}, status=422)
