"""Report definition administration: administrators define the reports of the reports menu."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.core.permissions import require_administrator
from accountwise.reports import defined
from accountwise.reports.forms import FILTER_PREFIX, ReportDefinitionForm, filter_form_params
from accountwise.reports.models import ReportDefinition, ReportEntity


@require_GET
def definition_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    definitions = list(ReportDefinition.objects.select_related("saved_filter"))
    options = {entity: defined.groupings(entity) for entity in ReportEntity.values}
    for definition in definitions:
        grouping = options[definition.entity].get(definition.group_by)
        definition.group_label = grouping.label if grouping else f"{definition.group_by} (no longer exists)"
        definition.measure_labels = [defined.MEASURES[key].label for key in definition.measures if key in defined.MEASURES]
    return render(request, "reports/definition_list.html", {"definitions": definitions})


@require_GET
def definition_choose_entity(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    return render(request, "reports/definition_entity.html", {"entities": ReportEntity.choices})


@require_http_methods(["GET", "POST"])
def definition_create(request: HttpRequest, entity: str) -> HttpResponse:
    require_administrator(request.user)
    if entity not in ReportEntity.values:
        raise Http404("Unknown record type.")

    return _definition_form(request, ReportDefinition(entity=entity, created_by=request.user))


@require_http_methods(["GET", "POST"])
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    definition = get_object_or_404(ReportDefinition, pk=pk)

    return _definition_form(request, definition)


@require_POST
def definition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    definition = get_object_or_404(ReportDefinition, pk=pk)

    definition.delete()
    messages.success(request, f"Report {definition.name} deleted. Its records are unchanged.")
    return redirect("reports:definitions")


def _definition_form(request: HttpRequest, definition: ReportDefinition) -> HttpResponse:
    """Serve the form that adds a definition (an unsaved `definition`) or edits one.

    The entity's filter form sits inside it under the "filter-" prefix, and its
    submitted parameters are stored once both forms are valid.
    """
    saved_name = definition.name
    posted = request.method == "POST"
    form = ReportDefinitionForm(
        request.POST if posted else None, instance=definition, entity=definition.entity,
        initial=None if definition.pk else {"measures": ["count"]},
    )
    filters = filter_form_params(request.POST) if posted else definition.filters
    filterset = defined.build_filterset(definition.entity, filters, prefix=FILTER_PREFIX)
    if posted and form.is_valid() and filterset.form.is_valid():
        created = definition.pk is None
        definition = form.save(commit=False)
        definition.filters = filters
        definition.save()
        messages.success(request, f"Report {definition.name} {'created' if created else 'saved'}.")
        return redirect(definition.get_absolute_url())

    context = {
        "form": form,
        "filter_form": filterset.form,
        "definition": definition,
        "saved_name": saved_name,
        "entity_label": ReportEntity(definition.entity).label,
    }
    return render(request, "reports/definition_form.html", context)
