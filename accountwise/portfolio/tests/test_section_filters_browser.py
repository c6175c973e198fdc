from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import PASSWORD, make_account, make_contract, make_opportunity, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def _download_xlsx(page, section, path: Path) -> list[dict]:
    """Download a section's Excel workbook and return its rows by header."""
    section.get_by_test_id("download-menu").get_by_role("button", name="Download").click()
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Excel workbook (.xlsx)").click()
    download_info.value.save_as(path)
    header, *rows = openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def test_both_sections_filtered_and_exported(page, default_stages, tmp_path):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    make_custom_field(
        "contract", "choice", "region", label="Region", choices=["North", "South"],
        show_in_list=True, filterable=True,
    )
    make_custom_field("opportunity", "money", "budget", label="Budget", show_in_list=True, filterable=True)
    make_contract(account, "North support", custom_fields={"region": "North"})
    make_contract(account, "South support", custom_fields={"region": "South"})
    make_opportunity(account, "Large deal", custom_fields={"budget": "8000.00"})
    make_opportunity(account, "Small deal", custom_fields={"budget": "250.00"})

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url())
    contracts = page.locator("#contracts-section")
    opportunities = page.locator("#opportunities-section")

    contracts.get_by_role("button", name="Contracts").click()
    contracts.get_by_label("Region").select_option("North")
    contracts.get_by_role("button", name="Filter").click()
    page.wait_for_url("**c-cf_region=North**")
    expect(contracts.get_by_role("link", name="South support", exact=True)).to_have_count(0)
    expect(contracts.get_by_role("row", name="North support")).to_contain_text("North")

    # A bad bound names the field and keeps what was typed, and the other section keeps its filter.
    opportunities.get_by_role("button", name="Opportunities").click()
    opportunities.get_by_label("Budget from").fill("lots")
    opportunities.get_by_role("button", name="Filter").click()
    expect(opportunities.get_by_test_id("filter-errors")).to_have_text(
        "Budget: Enter a number. That filter is ignored until you correct it."
    )
    expect(opportunities.get_by_label("Budget from")).to_have_value("lots")
    opportunities.get_by_label("Budget from").fill("5000")
    opportunities.get_by_label("Budget from").press("Enter")
    page.wait_for_url("**o-cf_budget_min=5000**")
    assert "c-cf_region=North" in page.url
    expect(opportunities.get_by_role("link", name="Small deal", exact=True)).to_have_count(0)
    expect(opportunities.get_by_test_id("opportunities-summary")).to_contain_text("1 active opportunity")

    # The address is shareable: a reload shows both sections filtered.
    page.reload()
    expect(contracts.get_by_role("link", name="South support", exact=True)).to_have_count(0)
    expect(contracts.get_by_role("link", name="North support", exact=True)).to_be_visible()
    expect(opportunities.get_by_role("link", name="Large deal", exact=True)).to_be_visible()
    expect(opportunities.get_by_label("Budget from")).to_have_value("5000")

    contract_rows = _download_xlsx(page, contracts, tmp_path / "contracts.xlsx")
    assert [(row["Name"], row["Region"]) for row in contract_rows] == [("North support", "North")]
    opportunity_rows = _download_xlsx(page, opportunities, tmp_path / "opportunities.xlsx")
    assert [row["Name"] for row in opportunity_rows] == ["Large deal"]
    assert Decimal(str(opportunity_rows[0]["Budget"])) == Decimal("8000")
