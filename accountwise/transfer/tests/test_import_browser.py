import csv
import io
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity
from accountwise.test import PASSWORD, make_account, make_user
from accountwise.transfer.tests.export_support import xlsx_values
from conftest import log_in

pytestmark = pytest.mark.browser

ACCOUNTS_FILE = "Company name,Industry,Country/Region,Parent Company\nGlobex Europe,Energy,France,Globex\nGlobex,Energy,USA,\n"
DEALS_FILE = (
    "Deal Name,Associated Company,Deal Stage,Amount,Close Date\n"
    "Renewal,Acme Corporation,Closed won,\"1,200.50\",2026-03-31\n"
    "Pilot,Acme Corporation,Engaging,300,2026-04-30\n"
    "Expansion,Acme Corporation,Negotiation,-5,2026-05-31\n"
)


@pytest.fixture
def storage_folder(tmp_path):
    with override_settings(DATA_DIR=tmp_path / "data", MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path


def _upload(page, folder: Path, entity: str, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    page.get_by_label("Main menu").get_by_role("link", name="Import").click()
    page.locator("#field-entity").get_by_text(entity, exact=True).click()
    page.get_by_label("Spreadsheet file").set_input_files(path)
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()


def test_import_accounts_then_download(page, transactional_db, default_stages, storage_folder):
    make_user("erin", first_name="Erin", last_name="Brook")
    log_in(page, "erin", PASSWORD)

    _upload(page, storage_folder, "Accounts", "companies.csv", ACCOUNTS_FILE)
    expect(page.get_by_label("Field for column Parent Company")).to_have_value("parent")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_test_id("preview-rows")).to_contain_text("Globex Europe")
    page.get_by_role("button", name="Import 2 accounts").click()

    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported 2 of 2 rows.")
    assert Account.objects.get(name="Globex Europe").parent.name == "Globex"

    page.get_by_role("link", name="Import history").last.click()
    expect(page.get_by_test_id("import-history")).to_contain_text("companies.csv")

    page.get_by_label("Main menu").get_by_role("link", name="Accounts").click()
    page.get_by_test_id("download-menu").get_by_role("button", name="Download").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    rows = xlsx_values(Path(download_info.value.path()).read_bytes())
    assert [(row[0], row[3]) for row in rows[1:]] == [("Globex", "Erin Brook"), ("Globex Europe", "Erin Brook")]


def test_import_opportunities_skipping_invalid(page, transactional_db, default_stages, storage_folder):
    erin = make_user("erin", first_name="Erin", last_name="Brook")
    make_account("Acme Corporation", owner=erin)
    log_in(page, "erin", PASSWORD)

    _upload(page, storage_folder, "Opportunities", "deals.csv", DEALS_FILE)
    expect(page.get_by_label("Field for column Deal Stage")).to_have_value("stage")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Match the stages")).to_be_visible()
    page.get_by_label("Engaging").select_option("Proposal")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_test_id("preview-counts")).to_contain_text("2")
    expect(page.get_by_test_id("preview-rows")).to_contain_text('"-5" is negative; amounts must be 0 or more')
    page.get_by_role("button", name="Import the valid rows, skip the invalid ones").click()

    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "done")
    expect(status).to_contain_text("Imported 2 of 3 rows; 1 invalid row was skipped")
    assert sorted(Opportunity.objects.values_list("name", "stage__name")) == [("Pilot", "Proposal"), ("Renewal", "Closed won")]

    # The page survives a reload and still shows the result.
    page.reload()
    expect(page.get_by_test_id("import-status")).to_contain_text("Imported 2 of 3 rows")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all 1 with their reasons (CSV)").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][:5] == ["Expansion", "Acme Corporation", "Negotiation", "-5", "2026-05-31"]
    assert "Amount" in rows[1][5]
