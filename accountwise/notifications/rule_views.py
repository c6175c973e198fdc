"""Renewal rule administration: administrators decide who hears about contracts ending, when and how."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.core.permissions import require_administrator
from accountwise.notifications.actions import delete_rule, save_rule, set_rule_active
from accountwise.notifications.forms import RenewalRuleForm
from accountwise.notifications.models import RenewalRule


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    rules = RenewalRule.objects.select_related("opportunity_stage").prefetch_related("named_users")
    return render(request, "notifications/rule_list.html", {"rules": rules})


@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    return _rule_form(request, RenewalRule())


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    rule = get_object_or_404(RenewalRule, pk=pk)

    return _rule_form(request, rule)


@require_POST
def rule_activate(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    rule = get_object_or_404(RenewalRule, pk=pk)

    set_rule_active(rule, True, request.user)
    messages.success(request, f"Rule {rule.name} is active: the next run sends its reminders.")
    return redirect("notifications:rules")


@require_POST
def rule_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    rule = get_object_or_404(RenewalRule, pk=pk)

    set_rule_active(rule, False, request.user)
    messages.success(request, f"Rule {rule.name} deactivated: it sends nothing until you activate it again.")
    return redirect("notifications:rules")


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    rule = get_object_or_404(RenewalRule, pk=pk)

    delete_rule(rule, request.user)
    messages.success(request, f"Rule {rule.name} deleted. Notifications it sent stay with their recipients.")
    return redirect("notifications:rules")


def _rule_form(request: HttpRequest, rule: RenewalRule) -> HttpResponse:
    """Serve the form that adds a rule (an unsaved `rule`) or edits one."""
    saved_name = rule.name
    form = RenewalRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        created = rule.pk is None
        save_rule(form.save(commit=False), form.cleaned_data["named_users"], request.user)
        messages.success(request, f"Rule {rule.name} {'created' if created else 'saved'}.")
        return redirect("notifications:rules")

    return render(request, "notifications/rule_form.html", {"form": form, "rule": rule, "saved_name": saved_name})
