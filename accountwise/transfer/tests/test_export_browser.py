from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountwise.accounts.models import AccountType
from accountwise.test import PASSWORD, make_account, make_user
from accountwise.transfer.tests.export_support import xlsx_sheet
from conftest import log_in

pytestmark = pytest.mark.browser


def test_download_filtered_accounts_xlsx(page, transactional_db):
    erin = make_user("erin", first_name="Erin", last_name="Brook")
    make_account("Globex", owner=erin, type=AccountType.STRATEGIC, industry="Aerospace")
    make_account("Globe Trotters", industry="Travel")
    make_account("Initech", industry="Software")

    log_in(page, "erin", PASSWORD)
    page.goto("/accounts/?sort=-name")
    # The search updates the list through htmx; the Download links must follow it.
    page.get_by_label("Search").fill("glob")
    expect(page.get_by_role("link", name="Initech")).to_have_count(0)

    page.get_by_test_id("download-menu").get_by_role("button", name="Download").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    download = download_info.value

    assert download.suggested_filename == f"accounts-{timezone.localdate().isoformat()}.xlsx"
    sheet = xlsx_sheet(Path(download.path()).read_bytes())
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Name", "Type", "Status", "Owner"]
    assert [row[:4] for row in rows[1:]] == [
        ["Globex", "Strategic", "Active", "Erin Brook"],
        ["Globe Trotters", "Normal", "Active", None],
    ]
    assert sheet.freeze_panes == "A2"
