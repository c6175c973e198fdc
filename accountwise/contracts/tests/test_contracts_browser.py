import pytest
from playwright.sync_api import expect

from accountwise.contracts.models import Contract
from accountwise.test import PASSWORD, make_account, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_create_new_contract_end_before_start(page, transactional_db):
    bob = make_user("bob", first_name="Bob")
    make_account("Acme Corporation", owner=bob)
    make_account("Globex")

    log_in(page, "bob", PASSWORD)
    page.get_by_test_id("create-new").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="Contract").click()
    chooser = page.get_by_label("Account")
    expect(chooser.locator("option")).to_have_text(["Choose an account", "Acme Corporation"])
    chooser.select_option(label="Acme Corporation")
    page.get_by_label("Name").fill("Licences")
    page.get_by_label("Value").fill("900")
    page.get_by_label("Start date").fill("2027-03-01")
    page.get_by_label("End date").fill("2027-02-01")
    page.get_by_role("button", name="Create contract").click()

    end_date = page.locator("#field-end_date")
    expect(end_date.locator(".invalid-feedback")).to_have_text(
        "The end date is before the start date; choose a later end date."
    )
    expect(page.get_by_label("End date")).to_have_class("form-control is-invalid")
    expect(page.get_by_label("Account").locator("option:checked")).to_have_text("Acme Corporation")
    expect(page.get_by_label("Name")).to_have_value("Licences")
    expect(page.get_by_label("Value")).to_have_value("900")
    expect(page.get_by_label("Start date")).to_have_value("2027-03-01")
    expect(page.get_by_label("End date")).to_have_value("2027-02-01")
    assert not Contract.objects.exists()


def test_archive_from_section_in_place(page, transactional_db):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    Contract.objects.create(account=account, name="Support", value=1000)
    Contract.objects.create(account=account, name="Licences", value=500)

    log_in(page, "bob", PASSWORD)
    page.goto(f"{account.get_absolute_url()}?contracts=active")
    page.evaluate("window.marker = 1")
    section = page.locator("#contracts-section")
    expect(section.get_by_test_id("contracts-summary")).to_contain_text("$1,500.00")
    section.get_by_role("button", name="Archive contract Support").click()

    expect(section.get_by_text("Contract Support archived.")).to_be_visible()
    expect(section.get_by_test_id("contracts-summary")).to_contain_text("$500.00")
    expect(section.get_by_role("link", name="Support", exact=True)).to_have_count(0)
    section.get_by_role("link", name="Archived").click()
    expect(section.get_by_role("link", name="Support", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?contracts=archived")
    assert page.evaluate("window.marker") == 1
