from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from accountwise.contracts.models import Contract
from accountwise.test import PASSWORD, make_account, make_user
from accountwise.users.models import Role
from conftest import log_in

pytestmark = pytest.mark.browser


def _define_purchase_order_field(page) -> None:
    page.get_by_role("link", name="Custom fields").click()
    page.locator("#entity-tabs").get_by_role("link", name="Contracts").click()
    page.get_by_role("link", name="Add a field to contracts").click()
    page.get_by_label("Label").fill("Purchase order")
    page.get_by_label("Type").select_option(label="Single choice")
    page.get_by_label("Choices").fill("Framework\nOne-off")
    page.get_by_label("Required").check()
    page.get_by_label("Show as list column").check()
    page.get_by_label("Filterable").check()
    page.get_by_role("button", name="Add field").click()
    expect(page.locator("#field-purchase_order")).to_contain_text("Framework, One-off")


def _create_contract(page, account_name: str, name: str, value: str, purchase_order: str) -> None:
    """Create a contract from the account page, first without the required field, then with it."""
    page.locator("#aw-sidebar").get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name=account_name).click()
    page.locator("#contracts-section").get_by_role("link", name="Create contract").first.click()
    page.locator("#id_name").fill(name)
    page.get_by_label("Value").fill(value)
    page.get_by_role("button", name="Create contract").click()

    feedback = page.locator("#field-cf_purchase_order .invalid-feedback")
    expect(feedback).to_have_text("Choose a value for Purchase order; it is required.")
    expect(page.locator("#id_name")).to_have_value(name)

    page.get_by_label("Purchase order").select_option(label=purchase_order)
    page.get_by_role("button", name="Create contract").click()
    expect(page.locator("#contracts-section").get_by_role("row", name=name)).to_contain_text(purchase_order)


def test_required_field_filtered_and_exported(page, transactional_db, tmp_path):
    make_user("alice", role=Role.ADMINISTRATOR)
    bob = make_user("bob", first_name="Bob")
    make_account("Acme Corporation", owner=bob)

    log_in(page, "alice", PASSWORD)
    _define_purchase_order_field(page)

    page.context.clear_cookies()
    log_in(page, "bob", PASSWORD)
    _create_contract(page, "Acme Corporation", "Support 2027", "1200.00", "Framework")
    _create_contract(page, "Acme Corporation", "Audit 2027", "800.00", "One-off")
    assert Contract.objects.count() == 2

    page.locator("#aw-sidebar").get_by_role("link", name="Contracts").click()
    page.wait_for_url("**/portfolio/contracts/")
    expect(page.get_by_test_id("portfolio-count")).to_have_text("2")
    filter_form = page.get_by_test_id("portfolio-filter")
    # The filter form applies a changed input at once, through htmx, and pushes the URL.
    filter_form.get_by_label("Purchase order").select_option(label="Framework")
    page.wait_for_url("**cf_purchase_order=Framework**")

    table = page.get_by_test_id("portfolio-table")
    expect(page.get_by_test_id("portfolio-count")).to_have_text("1")
    expect(table.get_by_role("columnheader", name="Purchase order")).to_be_visible()
    expect(table.get_by_role("row", name="Support 2027")).to_contain_text("Framework")
    expect(table.get_by_role("link", name="Audit 2027")).to_have_count(0)

    page.get_by_test_id("download-menu").get_by_role("button", name="Download").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    path = tmp_path / "contracts.xlsx"
    download_info.value.save_as(path)

    sheet = openpyxl.load_workbook(path, read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[-1] == "Purchase order"
    assert len(rows) == 1
    row = dict(zip(header, rows[0]))
    assert row["Account"] == "Acme Corporation"
    assert row["Name"] == "Support 2027"
    assert Decimal(str(row["Value"])) == Decimal("1200.00")
    assert row["Purchase order"] == "Framework"
