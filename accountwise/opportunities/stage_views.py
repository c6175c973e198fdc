"""Stage administration: administrators order the open stages and set every probability."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.core.permissions import require_administrator
from accountwise.opportunities.actions import (
    StageError,
    add_open_stage,
    delete_stage,
    move_stage,
    set_stage_retired,
)
from accountwise.opportunities.forms import StageForm
from accountwise.opportunities.models import Stage

_MOVE_OFFSETS = {"up": -1, "down": 1}


@require_GET
def stage_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    return _render_list(request, StageForm())


@require_POST
def stage_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    form = StageForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form)

    stage = add_open_stage(form.cleaned_data["name"], form.cleaned_data["probability"])
    messages.success(request, f"Stage {stage.name} added after the other open stages.")
    return redirect("stages:list")


@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    stage = get_object_or_404(Stage, pk=pk)
    old_name = stage.name

    form = StageForm(request.POST or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Stage {old_name} saved as {stage.name} at {stage.probability} %.")
        return redirect("stages:list")

    return render(request, "opportunities/stage_form.html", {"form": form, "stage": stage, "old_name": old_name})


@require_POST
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    stage = get_object_or_404(Stage, pk=pk)

    offset = _MOVE_OFFSETS.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Choose whether to move the stage up or down.")
        return redirect("stages:list")
    return _apply(request, lambda: move_stage(stage, offset), None)


@require_POST
def stage_retire(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    stage = get_object_or_404(Stage, pk=pk)

    return _apply(
        request,
        lambda: set_stage_retired(stage, True),
        f"Stage {stage.name} retired. Opportunities at it keep it; new ones cannot choose it.",
    )


@require_POST
def stage_unretire(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    stage = get_object_or_404(Stage, pk=pk)

    return _apply(
        request, lambda: set_stage_retired(stage, False), f"Stage {stage.name} is offered again."
    )


@require_POST
def stage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    stage = get_object_or_404(Stage, pk=pk)

    return _apply(request, lambda: delete_stage(stage), f"Stage {stage.name} deleted.")


def _apply(request: HttpRequest, change, success: str | None) -> HttpResponse:
    """Run a stage action and report its outcome, or the rule it broke, on the stage list."""
    try:
        change()
    except StageError as error:
        messages.error(request, str(error))
    else:
        if success:
            messages.success(request, success)
    return redirect("stages:list")


def _render_list(request: HttpRequest, form: StageForm) -> HttpResponse:
    # Meta.ordering does not apply to a query with GROUP BY, so the order is given here.
    stages = list(
        Stage.objects.annotate(opportunity_count=Count("opportunities")).order_by("position", "pk")
    )
    open_ids = [stage.pk for stage in stages if not stage.is_fixed]
    context = {
        "stages": stages,
        "form": form,
        "first_open_id": open_ids[0] if open_ids else None,
        "last_open_id": open_ids[-1] if open_ids else None,
    }
    return render(request, "opportunities/stage_list.html", context)
