"""Custom-field administration: administrators define, reorder, retire and restore fields."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.core.permissions import require_administrator
from accountwise.customfields.actions import (
    DefinitionConflict,
    missing_value_counts,
    move_field,
    save_definition,
)
from accountwise.customfields.forms import CustomFieldDefinitionForm
from accountwise.customfields.models import CustomField, Entity

_MOVE_OFFSETS = {"up": -1, "down": 1}


def _entity_from(request: HttpRequest) -> str:
    entity = request.GET.get("entity", "")
    return entity if entity in Entity.values else Entity.ACCOUNT


def _list_url(entity: str) -> str:
    return f"{reverse('customfields:list')}?entity={entity}"


@require_GET
def field_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    entity = _entity_from(request)

    fields = list(CustomField.objects.for_entity(entity).in_order())
    missing = missing_value_counts(entity, [field for field in fields if not field.is_retired])
    for field in fields:
        field.missing_count = missing.get(field.key)
    active_ids = [field.pk for field in fields]
    context = {
        "entity": entity,
        "entity_label": Entity(entity).label,
        "entities": Entity.choices,
        "fields": fields,
        "first_id": active_ids[0] if active_ids else None,
        "last_id": active_ids[-1] if active_ids else None,
    }
    return render(request, "customfields/field_list.html", context)


@require_http_methods(["GET", "POST"])
def field_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    entity = _entity_from(request)

    form = CustomFieldDefinitionForm(request.POST or None, initial={"entity": entity})
    if request.method == "POST" and form.is_valid():
        field = save_definition(form.instance, type_or_choices_changed=False)
        messages.success(request, f"Custom field {field.label} added to {field.get_entity_display().lower()}.")
        return redirect(_list_url(field.entity))

    return render(request, "customfields/field_form.html", {"form": form, "entity": entity})


@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    field = get_object_or_404(CustomField, pk=pk)
    saved_label, saved_type, saved_choices, was_required = field.label, field.field_type, list(field.choices), field.required

    form = CustomFieldDefinitionForm(request.POST or None, instance=field)
    misfits = None
    if request.method == "POST" and form.is_valid():
        changed = field.field_type != saved_type or field.choices != saved_choices
        try:
            save_definition(field, type_or_choices_changed=changed)
        except DefinitionConflict as conflict:
            misfits = conflict.misfits
        else:
            messages.success(request, f"Custom field {field.label} saved.")
            _note_missing_values(request, field, was_required)
            return redirect(_list_url(field.entity))

    context = {
        "form": form,
        "field": field,
        "entity": field.entity,
        "saved_label": saved_label,
        "saved_type_label": CustomField(field_type=saved_type).get_field_type_display(),
        "misfits": misfits,
    }
    return render(request, "customfields/field_form.html", context)


def _note_missing_values(request: HttpRequest, field: CustomField, was_required: bool) -> None:
    if not field.required or was_required or field.is_retired:
        return
    missing = missing_value_counts(field.entity, [field])[field.key]
    if missing:
        messages.info(
            request,
            f"{missing} existing {'record has' if missing == 1 else 'records have'} no {field.label}. "
            "They stay valid; whoever edits one next must fill it in.",
        )


@require_POST
def field_move(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    field = get_object_or_404(CustomField, pk=pk)

    offset = _MOVE_OFFSETS.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Choose whether to move the field up or down.")
    else:
        move_field(field, offset)
    return redirect(_list_url(field.entity))


@require_POST
def field_retire(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    field = get_object_or_404(CustomField, pk=pk)

    field.retire()
    messages.success(
        request,
        f"Custom field {field.label} retired. It no longer shows on forms, pages, lists and filters; "
        "stored values are kept and come back if you restore it.",
    )
    return redirect(_list_url(field.entity))


@require_POST
def field_restore(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    field = get_object_or_404(CustomField, pk=pk)

    field.restore()
    messages.success(request, f"Custom field {field.label} restored with its stored values.")
    return redirect(_list_url(field.entity))
