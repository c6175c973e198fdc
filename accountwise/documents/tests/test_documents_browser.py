from pathlib import Path

import pytest
from playwright.sync_api import expect

from accountwise.documents.models import Document
from accountwise.documents.tests import support
from accountwise.test import PASSWORD, make_account, make_contract, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_to_contract_then_download(page, transactional_db, media_root):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    contract = make_contract(account, "Support 2027")
    content = support.PDF + "% Unterschrift: Müller\n".encode()

    log_in(page, "bob", PASSWORD)
    page.goto(contract.get_absolute_url())
    page.locator("#documents").get_by_role("link", name="Add document").first.click()
    expect(page.get_by_label("Belongs to").locator("option:checked")).to_have_text("Support 2027")
    page.get_by_label("File").set_input_files(
        {"name": "Signed offer – Müller.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    page.get_by_role("button", name="Upload document").click()

    expect(page).to_have_url(f"{page.url.split('/contracts/')[0]}{contract.get_absolute_url()}#documents")
    expect(page.get_by_text("Document Signed offer – Müller.pdf added.")).to_be_visible()
    expect(page.locator("#documents").get_by_role("link", name="Signed offer – Müller.pdf", exact=True)).to_be_visible()

    page.locator(".breadcrumb").get_by_role("link", name="Acme Corporation").click()
    page.locator(".nav-tabs").get_by_role("link", name="Documents").click()
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/{account.pk}/documents/")
    row = page.get_by_test_id("document-row").filter(has_text="Signed offer – Müller.pdf")
    expect(row.get_by_test_id("document-owner")).to_have_text("Contract Support 2027")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download Signed offer – Müller.pdf").click()
    download = download_info.value

    assert download.suggested_filename == "Signed offer – Müller.pdf"
    assert Path(download.path()).read_bytes() == content
    document = Document.objects.get()
    assert (media_root / document.file.name).read_bytes() == content


def test_tab_switch_keeps_typed_values(page, transactional_db, media_root):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    make_contract(account, "Support 2027")

    log_in(page, "bob", PASSWORD)
    page.goto(f"/documents/new/{account.pk}/")
    page.evaluate("window.marker = 1")
    page.get_by_label("Title").fill("Price list")
    page.get_by_label("Belongs to").select_option(label="Support 2027")
    page.get_by_role("link", name="Link a document").click()

    expect(page.get_by_label("Link")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Price list")
    expect(page.get_by_label("Belongs to").locator("option:checked")).to_have_text("Support 2027")
    expect(page).to_have_url(f"{page.url.split('?')[0]}?kind=link")
    assert page.evaluate("window.marker") == 1


def test_rejected_upload_keeps_input(page, transactional_db, media_root):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    make_contract(account, "Support 2027")

    log_in(page, "bob", PASSWORD)
    page.goto(f"/documents/new/{account.pk}/")
    page.get_by_label("Title").fill("Invoice")
    page.get_by_label("Belongs to").select_option(label="Support 2027")
    page.get_by_label("File").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": support.WINDOWS_PROGRAM}
    )
    page.get_by_role("button", name="Upload document").click()

    expect(page.locator("#field-file .invalid-feedback")).to_have_text(
        "“invoice.pdf” contains a Windows program (EXE or DLL), not a document. "
        "Programs and scripts cannot be uploaded."
    )
    expect(page.get_by_label("Title")).to_have_value("Invoice")
    expect(page.get_by_label("Belongs to").locator("option:checked")).to_have_text("Support 2027")
    assert not Document.objects.exists()
