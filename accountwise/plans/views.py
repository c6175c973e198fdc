from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accountwise.accounts.access import get_account_for_user, get_for_user
from accountwise.contracts.models import Contract
from accountwise.contracts.sections import may_change, safe_next_url
from accountwise.core.concurrency import save_or_show_conflict
from accountwise.core.context_processors import organisation
from accountwise.core.permissions import require_change, require_writer
from accountwise.history.entries import history_card_context
from accountwise.opportunities.models import Opportunity
from accountwise.plans.actions import (
    PlanExistsError,
    delete_plan,
    delete_plan_action,
    save_plan,
    save_plan_action,
    set_action_done,
)
from accountwise.plans.forms import (
    PlanActionForm,
    PlanForm,
    initial_from_contract,
    initial_from_opportunity,
)
from accountwise.plans.models import Plan, PlanAction, plan_based_on

PLAN_TEMPLATE = "plans/plan_detail.html"
ACTIONS_TEMPLATE = "plans/_plan_actions.html"


def _plan_queryset():
    return Plan.objects.with_progress().select_related("owner", "contract", "opportunity")


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Create a plan: of its own, for an account, or based on a contract or an opportunity."""
    require_writer(request.user)
    account, basis = _create_target(request)
    if account is not None and account.is_archived:
        return _read_only_response(request, account)
    existing = plan_based_on(basis) if basis is not None else None
    if existing is not None:
        messages.info(request, f"{basis} already has a plan: {existing}.")
        return redirect(existing)

    plan = Plan(account=account)
    form = PlanForm(
        request.POST or None,
        instance=plan,
        user=request.user,
        choose_account=account is None,
        initial=_prefill(request, basis),
    )
    if request.method == "POST" and form.is_valid() and _save(form, plan, request.user):
        messages.success(request, f"Plan {plan} created. Add the actions that will achieve it.")
        return redirect(plan)

    cancel_url = safe_next_url(request) or (
        reverse("accounts:plans", args=[account.pk]) if account else reverse("core:home")
    )
    context = {
        "form": form,
        "account": account,
        "basis": basis,
        "basis_kind": "contract" if isinstance(basis, Contract) else "opportunity",
        "has_account_choices": account is not None or form.fields["account"].queryset.exists(),
        "cancel_url": cancel_url,
    }
    return render(request, "plans/plan_form.html", context)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(_plan_queryset(), request.user, pk, change=True)
    if plan.account.is_archived:
        return _read_only_response(request, plan.account)
    # Validation copies typed values onto the instance, so headings use the name saved before.
    saved_name = plan.name

    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    saving = request.method == "POST" and form.is_valid()
    if saving and save_or_show_conflict(form, lambda: _save(form, plan, request.user)):
        messages.success(request, f"Plan {plan} saved.")
        return redirect(plan)

    context = {
        "form": form,
        "account": plan.account,
        "plan": plan,
        "saved_name": saved_name,
        "has_account_choices": True,
        "cancel_url": plan.get_absolute_url(),
    }
    return render(request, "plans/plan_form.html", context)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a plan with its actions; for htmx, only the actions card (to cancel an edit)."""
    plan = get_for_user(_plan_queryset(), request.user, pk)

    return _render_plan(request, plan, can_change=may_change(request.user, plan))


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(_plan_queryset(), request.user, pk, change=True)
    account = plan.account
    if account.is_archived:
        return _read_only_response(request, account)

    if request.method == "POST":
        delete_plan(plan, request.user)
        messages.success(request, f"Plan {plan} deleted.")
        return redirect("accounts:plans", pk=account.pk)

    return render(request, "plans/plan_confirm_delete.html", {"plan": plan, "account": account})


@require_POST
def action_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_for_user(_plan_queryset(), request.user, plan_pk, change=True)
    if plan.account.is_archived:
        return _read_only_response(request, plan.account)

    form = PlanActionForm(request.POST, instance=PlanAction(plan=plan))
    if not form.is_valid():
        return _render_plan(request, plan, can_change=True, action_form=form)

    action = save_plan_action(form.save(commit=False), request.user)
    return _after_action_change(request, plan, f"Action {action} added.")


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an action in place on the plan page; the page without JavaScript shows the same form."""
    action = _get_action_for_change(request.user, pk)
    plan = _plan_queryset().get(pk=action.plan_id)
    if plan.account.is_archived:
        return _read_only_response(request, plan.account)

    form = PlanActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        save_plan_action(form.save(commit=False), request.user)
        return _after_action_change(request, plan, f"Action {action} saved.")

    return _render_plan(request, plan, can_change=True, editing=action.pk, edit_form=form)


@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an action done or not done, as the posted `done` value (1 or 0) requests.

    The button posts the state it sets, not a toggle, so a double click
    cannot undo the first one.
    """
    action = _get_action_for_change(request.user, pk)
    plan = action.plan
    if plan.account.is_archived:
        return _read_only_response(request, plan.account)

    done = request.POST.get("done") == "1"
    set_action_done(action, done, request.user)
    notice = f"Action {action} marked {'done' if done else 'not done'}."
    return _after_action_change(request, plan, notice)


@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action_for_change(request.user, pk)
    plan = action.plan
    if plan.account.is_archived:
        return _read_only_response(request, plan.account)

    delete_plan_action(action, request.user)
    return _after_action_change(request, plan, f"Action {action} deleted.")


def _render_plan(
    request: HttpRequest,
    plan: Plan,
    *,
    can_change: bool,
    action_form: PlanActionForm | None = None,
    editing: int | None = None,
    edit_form: PlanActionForm | None = None,
) -> HttpResponse:
    """Render the plan page, or for htmx its actions card, with the add form.

    `editing` names the action shown as an inline edit form, if any.
    """
    if can_change and action_form is None:
        action_form = PlanActionForm(
            instance=PlanAction(plan=plan), initial={"owner": plan.owner_id or request.user.pk}
        )
    context = {
        "plan": plan,
        "account": plan.account,
        "actions": list(plan.actions.select_related("owner")),
        "can_change": can_change,
        "action_form": action_form,
        "editing": editing,
        "edit_form": edit_form,
    }
    if not request.htmx:
        context.update(history_card_context(request, plan))
    template = ACTIONS_TEMPLATE if request.htmx else PLAN_TEMPLATE
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _after_action_change(request: HttpRequest, plan: Plan, notice: str) -> HttpResponse:
    """Respond to a change of an action: the refreshed actions card for htmx, else back to the plan."""
    if request.htmx:
        # The progress figures changed, so the plan is read again with them.
        return _render_plan(request, _plan_queryset().get(pk=plan.pk), can_change=True)
    messages.success(request, notice)
    response = redirect(plan)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _get_action_for_change(user, pk: int) -> PlanAction:
    """Fetch an action and authorise a change to it, through its plan's account."""
    queryset = PlanAction.objects.select_related("plan__account__owner")
    return require_change(user, get_object_or_404(queryset, pk=pk))


def _save(form: PlanForm, plan: Plan, user) -> bool:
    """Save a valid plan form, or put the "already has a plan" error on its basis and return False."""
    try:
        save_plan(form.save(commit=False), user)
    except PlanExistsError as error:
        form.add_error(
            "based_on" if "based_on" in form.fields else None,
            f"{error.plan.based_on} already has a plan: {error.plan}. Open that plan, or choose "
            "other business.",
        )
        return False
    return True


def _create_target(request: HttpRequest):
    """Return the account and the contract or opportunity named in the query, authorised for change.

    ?contract= or ?opportunity= bases the plan on that business of its
    account; ?account= creates a plan of its own there; none of them
    leaves the account to choose.
    """
    for param, model in (("contract", Contract), ("opportunity", Opportunity)):
        raw = request.GET.get(param, "")
        if raw:
            pk = _parse_pk(raw)
            basis = get_for_user(model.objects.select_related("plan"), request.user, pk, change=True)
            return basis.account, basis

    raw = request.GET.get("account", "")
    if not raw:
        return None, None
    return get_account_for_user(request.user, _parse_pk(raw), change=True), None


def _parse_pk(raw: str) -> int:
    if not raw.isdigit():
        raise Http404(f"Invalid id {raw!r}: expected a number.")
    return int(raw)


def _prefill(request: HttpRequest, basis) -> dict:
    if basis is None:
        return {}
    # The context processor keeps the organisation on the request, so the page reuses it.
    currency = organisation(request)["organisation"].currency
    if isinstance(basis, Contract):
        return initial_from_contract(basis, request.user, currency)
    return initial_from_opportunity(basis, request.user, currency)


def _read_only_response(request: HttpRequest, account) -> HttpResponse:
    """Send the user back to an archived account, which is read-only with its plans."""
    messages.warning(request, f"{account} is archived, so its plans cannot be changed. Restore it first.")
    if request.htmx:
        return HttpResponseClientRedirect(account.get_absolute_url())
    return redirect(account)
