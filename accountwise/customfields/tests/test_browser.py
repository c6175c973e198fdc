import pytest
from playwright.sync_api import expect

from accountwise.contracts.models import Contract
from accountwise.customfields.models import CustomField
from accountwise.test import PASSWORD, make_account, make_user
from accountwise.users.models import Role
from conftest import log_in

pytestmark = pytest.mark.browser


def test_required_contract_field_defined_then_filled(page, transactional_db):
    make_user("alice", role=Role.ADMINISTRATOR)
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)

    log_in(page, "alice", PASSWORD)
    page.get_by_role("link", name="Custom fields").click()
    page.locator("#entity-tabs").get_by_role("link", name="Contracts").click()
    expect(page.get_by_text("Contracts have no custom fields yet.")).to_be_visible()
    page.get_by_role("link", name="Add a field to contracts").click()
    page.get_by_label("Label").fill("Purchase order")
    page.get_by_label("Type").select_option(label="Single choice")
    page.get_by_label("Choices").fill("Framework\nOne-off")
    page.get_by_label("Required").check()
    page.get_by_label("Show as list column").check()
    page.get_by_role("button", name="Add field").click()
    expect(page.locator("#field-purchase_order")).to_contain_text("Framework, One-off")

    page.context.clear_cookies()
    log_in(page, "bob", PASSWORD)
    page.goto(f"/contracts/new/?account={account.pk}")
    page.locator("#id_name").fill("Support 2027")
    page.get_by_role("button", name="Create contract").click()

    field = page.locator("#field-cf_purchase_order")
    expect(field.locator(".invalid-feedback")).to_have_text("Choose a value for Purchase order; it is required.")
    expect(page.locator("#id_name")).to_have_value("Support 2027")
    assert not Contract.objects.exists()

    page.get_by_label("Purchase order").select_option(label="Framework")
    page.get_by_role("button", name="Create contract").click()

    section = page.locator("#contracts-section")
    expect(section.get_by_role("columnheader", name="Purchase order")).to_be_visible()
    expect(section.get_by_role("row", name="Support 2027")).to_contain_text("Framework")
    contract = Contract.objects.get()
    assert contract.custom_fields == {"purchase_order": "Framework"}
    assert CustomField.objects.get().required
