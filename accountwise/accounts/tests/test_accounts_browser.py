import pytest

from accountwise.test import PASSWORD, make_account, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_create_account_then_key_player(page, default_stages):
    make_user("erin", first_name="Erin")

    log_in(page, "erin", PASSWORD)
    page.get_by_test_id("create-new").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="Account").click()
    page.get_by_label("Name").fill("Globex")
    page.get_by_label("Industry").fill("Aerospace")
    page.get_by_role("button", name="Create account").click()

    assert page.get_by_text("Account Globex created.").is_visible()
    assert page.get_by_role("heading", name="Globex").is_visible()
    key_players = page.locator("#key-players")
    assert key_players.get_by_text("No key players yet.").is_visible()

    key_players.get_by_role("link", name="Add a key player").click()
    page.get_by_label("First name").fill("Wile")
    page.get_by_label("Last name").fill("Coyote")
    page.get_by_label("Job title").fill("Chief Executive Officer")
    page.get_by_label("Role").select_option(label="Decision maker")
    assert page.get_by_label("Key player").is_checked()
    page.get_by_role("button", name="Add contact").click()

    assert page.get_by_text("Contact Wile Coyote added.").is_visible()
    page.get_by_role("link", name="Details").click()
    assert key_players.get_by_role("link", name="Wile Coyote").is_visible()
    assert key_players.get_by_text("Chief Executive Officer").is_visible()
    assert key_players.get_by_text("Decision maker").is_visible()


def test_duplicate_name_keeps_typed_values(page, transactional_db):
    make_user("erin", first_name="Erin")
    make_account("Acme Corporation")

    log_in(page, "erin", PASSWORD)
    page.goto("/accounts/new/")
    page.get_by_label("Name").fill("ACME corporation")
    page.get_by_label("Industry").fill("Aerospace")
    page.get_by_label("Country").fill("Germany")
    page.get_by_label("Account type").select_option(label="Strategic")
    page.get_by_label("Website").fill("https://acme.example")
    page.get_by_role("button", name="Create account").click()

    name_field = page.locator("#field-name")
    assert name_field.get_by_text("An account named Acme Corporation already exists.").is_visible()
    assert "is-invalid" in page.get_by_label("Name").get_attribute("class")
    assert page.get_by_label("Name").input_value() == "ACME corporation"
    assert page.get_by_label("Industry").input_value() == "Aerospace"
    assert page.get_by_label("Country").input_value() == "Germany"
    assert page.get_by_label("Account type").input_value() == "strategic"
    assert page.get_by_label("Website").input_value() == "https://acme.example"
