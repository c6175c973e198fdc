"""Pages work in Chromium under the Content Security Policy, with no violation reported."""

import pytest
from playwright.sync_api import expect

from accountwise.opportunities.models import Opportunity, Stage
from accountwise.test import PASSWORD, make_account, make_contact, make_opportunity, make_opportunity_contact, make_user, stage
from accountwise.users.models import Role
from conftest import log_in

pytestmark = pytest.mark.browser


def _collect_csp_violations(page) -> list[str]:
    """Record every CSP violation the page reports, from the console and from the DOM event."""
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", function (event) {
             window.reportCspViolation(event.violatedDirective + " blocked " + event.blockedURI);
           });"""
    )
    return violations


def test_pages_report_no_csp_violation(page, default_stages):
    alice = make_user("alice", role=Role.ADMINISTRATOR)
    account = make_account("Acme Corporation", owner=alice)
    contact = make_contact(account, "Lovelace")
    opportunity = make_opportunity(account, "Fleet renewal", stage=stage("Proposal"))
    make_opportunity_contact(opportunity, contact)
    violations = _collect_csp_violations(page)

    log_in(page, "alice", PASSWORD)
    for path in [
        "/",
        "/accounts/",
        account.get_absolute_url() + "?opportunities=active",
        contact.get_absolute_url(),
        opportunity.get_absolute_url(),
        "/stages/",
        "/notifications/rules/",
        "/organisation/",
        "/transfer/import/",
        "/api/tokens/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#main")).to_be_visible()

    assert violations == []


def test_contact_chart_draws_under_csp(page, default_stages):
    alice = make_user("alice", role=Role.ADMINISTRATOR)
    account = make_account("Acme Corporation", owner=alice)
    contact = make_contact(account, "Lovelace")
    make_opportunity_contact(make_opportunity(account, "Fleet renewal"), contact)
    violations = _collect_csp_violations(page)

    log_in(page, "alice", PASSWORD)
    page.goto(contact.get_absolute_url())
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.Chart") == "function"
    assert violations == []


def test_confirm_asks_before_stage_delete(page, default_stages):
    make_user("alice", role=Role.ADMINISTRATOR)
    qualification = Stage.objects.get(name="Qualification")

    log_in(page, "alice", PASSWORD)
    page.goto("/stages/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete Qualification").click()
    page.wait_for_load_state("networkidle")
    assert Stage.objects.filter(pk=qualification.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Qualification").click()
    expect(page.get_by_role("button", name="Delete Qualification")).to_have_count(0)
    assert not Stage.objects.filter(pk=qualification.pk).exists()


def test_escape_cancels_quick_update(page, default_stages):
    bob = make_user("bob")
    account = make_account("Acme Corporation", owner=bob)
    opportunity = make_opportunity(account, "Fleet renewal")

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url() + "?opportunities=active")
    section = page.locator("#opportunities-section")
    section.get_by_role("link", name="Update opportunity Fleet renewal").click()
    row = section.locator("tr.aw-quick-update")
    row.get_by_label("Value").fill("9999")
    row.get_by_label("Value").press("Escape")

    expect(section.locator("tr.aw-quick-update")).to_have_count(0)
    expect(section.locator(f"#opportunity-{opportunity.pk}")).to_contain_text("$1,000.00")


def test_dismiss_removes_won_offer(page, default_stages):
    bob = make_user("bob")
    account = make_account("Acme Corporation", owner=bob)
    make_opportunity(account, "Fleet renewal", stage=stage("Negotiation"))

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url() + "?opportunities=active")
    section = page.locator("#opportunities-section")
    section.get_by_role("link", name="Update opportunity Fleet renewal").click()
    section.locator("tr.aw-quick-update").get_by_label("Stage").select_option(label="Closed won (100 %)")
    section.locator("tr.aw-quick-update").get_by_role("button", name="Save").click()
    offer = section.get_by_test_id("won-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Dismiss").click()

    expect(section.get_by_test_id("won-offer")).to_have_count(0)
    assert Opportunity.objects.get().stage.kind == "won"
