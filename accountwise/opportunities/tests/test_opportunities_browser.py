import pytest
from playwright.sync_api import expect

from accountwise.contracts.models import Contract
from accountwise.opportunities.models import Opportunity
from accountwise.test import PASSWORD, make_account, make_opportunity, make_user, stage
from conftest import log_in

pytestmark = pytest.mark.browser


def _open_account(page, account, query: str = "") -> None:
    page.goto(f"{account.get_absolute_url()}{query}")
    # A marker on window survives in-place updates but not a page load.
    page.evaluate("window.marker = 1")


def test_quick_update_in_place(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url())
    section = page.locator("#opportunities-section")
    section.locator(".card-header").get_by_role("link", name="Create opportunity").click()
    page.get_by_label("Name").fill("Analytics upsell")
    page.get_by_label("Stage").select_option(label="Proposal (60 %)")
    page.get_by_label("Value").fill("1000")
    page.get_by_label("Close date").fill("2027-06-30")
    page.get_by_role("button", name="Create opportunity").click()

    expect(page.get_by_text("Opportunity Analytics upsell created.")).to_be_visible()
    expect(section.get_by_role("link", name="Analytics upsell", exact=True)).to_be_visible()
    expect(section.get_by_test_id("opportunities-total")).to_have_text("$1,000.00")
    expect(section.get_by_test_id("opportunities-estimated")).to_have_text("$600.00")
    page.evaluate("window.marker = 1")

    section.get_by_role("link", name="Update opportunity Analytics upsell").click()
    row = section.locator("tr.aw-quick-update")
    row.get_by_label("Stage").select_option(label="Negotiation (80 %)")
    row.get_by_label("Value").fill("2000")
    row.get_by_role("button", name="Save").click()

    expect(section.locator("tr.aw-quick-update")).to_have_count(0)
    updated = section.locator(f"#opportunity-{Opportunity.objects.get().pk}")
    expect(updated).to_contain_text("Negotiation")
    expect(updated).to_contain_text("$2,000.00")
    expect(section.get_by_test_id("opportunities-total")).to_have_text("$2,000.00")
    expect(section.get_by_test_id("opportunities-estimated")).to_have_text("$1,600.00")
    assert page.evaluate("window.marker") == 1


def test_quick_update_invalid_value_keeps_input(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    opportunity = make_opportunity(account, "Analytics upsell", stage=stage("Proposal"))

    log_in(page, "bob", PASSWORD)
    _open_account(page, account, "?opportunities=active")
    section = page.locator("#opportunities-section")
    section.get_by_role("link", name="Update opportunity Analytics upsell").click()
    row = section.locator("tr.aw-quick-update")
    row.get_by_label("Value").fill("-5")
    row.get_by_role("button", name="Save").click()

    expect(row.get_by_text("Enter an amount of 0 or more.")).to_be_visible()
    expect(row.get_by_label("Value")).to_have_value("-5")
    row.get_by_role("link", name="Cancel").click()
    expect(section.locator("tr.aw-quick-update")).to_have_count(0)
    expect(section.locator(f"#opportunity-{opportunity.pk}")).to_contain_text("$1,000.00")
    assert page.evaluate("window.marker") == 1


def test_close_won_then_create_contract(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    opportunity = make_opportunity(account, "Plant rollout", stage=stage("Negotiation"))

    log_in(page, "bob", PASSWORD)
    _open_account(page, account, "?opportunities=active")
    section = page.locator("#opportunities-section")
    section.get_by_role("link", name="Update opportunity Plant rollout").click()
    row = section.locator("tr.aw-quick-update")
    row.get_by_label("Stage").select_option(label="Closed won (100 %)")
    row.get_by_label("Value").fill("4200")
    row.get_by_role("button", name="Save").click()

    offer = section.get_by_test_id("won-offer")
    expect(offer).to_contain_text("Closed won. Create a contract from this opportunity?")
    assert page.evaluate("window.marker") == 1
    offer.get_by_role("link", name="Create contract").click()

    expect(page.get_by_role("heading", name="Create contract from opportunity")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Plant rollout")
    expect(page.get_by_label("Value")).to_have_value("4200.00")
    expect(page.get_by_label("Start date")).to_have_value("2027-06-30")
    page.get_by_label("Description").fill("Rollout to three plants.")
    page.get_by_label("End date").fill("2028-06-29")
    page.get_by_role("button", name="Create contract").click()

    contracts = page.locator("#contracts-section")
    expect(page.get_by_text("Contract Plant rollout created from the opportunity Plant rollout.")).to_be_visible()
    expect(contracts.get_by_role("link", name="Plant rollout", exact=True)).to_be_visible()
    expect(contracts.get_by_test_id("contracts-summary")).to_contain_text("$4,200.00")
    contract = Contract.objects.get()
    assert contract.opportunity == opportunity
    assert contract.account == account
