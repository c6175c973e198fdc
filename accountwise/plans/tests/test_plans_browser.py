import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountwise.plans.models import Plan
from accountwise.test import PASSWORD, make_account, make_contract, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_plan_from_contract_then_view_link(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    end_date = timezone.localdate() + datetime.timedelta(days=200)
    contract = make_contract(account, "Plant rollout", value=Decimal("42000.00"), end_date=end_date)

    log_in(page, "bob", PASSWORD)
    page.goto(f"{account.get_absolute_url()}?contracts=active")
    contracts = page.locator("#contracts-section")
    contracts.get_by_role("link", name="Create a plan based on this contract").click()

    expect(page.get_by_role("heading", name="Create a plan based on this contract")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Plan for Plant rollout")
    expect(page.get_by_label("Due date")).to_have_value(end_date.isoformat())
    expect(page.get_by_label("Based on")).to_have_value(f"contract-{contract.pk}")
    page.get_by_label("Name").fill("Grow Plant rollout")
    page.get_by_role("button", name="Create plan").click()

    expect(page.get_by_text("Plan Grow Plant rollout created.")).to_be_visible()
    plan = Plan.objects.get()
    assert plan.contract == contract

    # Actions are added and ticked off in place.
    page.evaluate("window.marker = 1")
    add_form = page.get_by_test_id("action-add-form")
    add_form.get_by_label("Action").fill("Site visit at plant four")
    add_form.get_by_role("button", name="Add action").click()
    actions = page.locator("#plan-actions")
    expect(actions.get_by_test_id("plan-action")).to_have_count(1)
    expect(actions.get_by_test_id("plan-progress")).to_contain_text("0 of 1 action done")
    actions.get_by_role("button", name="Mark Site visit at plant four as done").click()
    expect(actions.get_by_test_id("plan-progress")).to_contain_text("100 %")
    assert page.evaluate("window.marker") == 1
    assert plan.actions.get().done

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Acme Corporation").click()
    contracts.locator(".aw-section-toggle").click()
    view_link = contracts.get_by_role("link", name="View or edit plan")
    expect(view_link).to_be_visible()
    expect(contracts.get_by_role("link", name="Create a plan based on this contract")).to_have_count(0)
    view_link.click()

    expect(page.get_by_role("heading", name="Grow Plant rollout")).to_be_visible()
    expect(page.get_by_test_id("plan-basis")).to_have_text("Plant rollout")


def test_plans_tab_create_and_overdue(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url())
    page.get_by_role("link", name="Plans").click()
    page.get_by_test_id("plans-empty").get_by_role("link", name="Create plan").click()
    page.get_by_label("Name").fill("Executive relationship")
    page.get_by_label("Objective").fill("Meet each executive twice this year.")
    page.get_by_role("button", name="Create plan").click()

    add_form = page.get_by_test_id("action-add-form")
    add_form.get_by_label("Action").fill("Dinner with the CFO")
    add_form.get_by_label("Due date").fill(yesterday.isoformat())
    add_form.get_by_role("button", name="Add action").click()
    expect(page.get_by_test_id("overdue-badge")).to_be_visible()

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Plans").click()
    card = page.get_by_test_id("plan-card")
    expect(card).to_contain_text("Executive relationship")
    expect(card.get_by_test_id("overdue-count")).to_have_text("1 overdue")
    expect(card.locator("tr.aw-overdue")).to_contain_text("Dinner with the CFO")
