import pytest

from accountwise.test import PASSWORD, make_account, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def _tab(chromium, live_server, username):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    log_in(tab, username, PASSWORD)
    return context, tab


def test_second_save_sees_conflict_then_saves_anyway(chromium, live_server, default_stages):
    bob = make_user("bob", first_name="Bob")
    charlie = make_user("charlie", first_name="Charlie")
    account = make_account("Acme Corporation", owner=bob, team=[charlie])
    bob_context, bob_tab = _tab(chromium, live_server, "bob")
    charlie_context, charlie_tab = _tab(chromium, live_server, "charlie")
    try:
        edit_url = f"/accounts/{account.pk}/edit/"
        bob_tab.goto(edit_url)
        charlie_tab.goto(edit_url)

        bob_tab.get_by_label("Industry").fill("Aerospace")
        bob_tab.get_by_role("button", name="Save", exact=True).click()
        bob_tab.wait_for_url(f"**/accounts/{account.pk}/")

        charlie_tab.get_by_label("Industry").fill("Shipping")
        charlie_tab.get_by_label("Country").fill("Norway")
        charlie_tab.get_by_role("button", name="Save", exact=True).click()

        conflict = charlie_tab.get_by_test_id("edit-conflict")
        assert conflict.is_visible()
        assert "Bob saved it on" in conflict.inner_text()
        assert "Aerospace" in conflict.inner_text()
        assert charlie_tab.get_by_label("Industry").input_value() == "Shipping"
        assert charlie_tab.get_by_label("Country").input_value() == "Norway"
        account.refresh_from_db()
        assert account.industry == "Aerospace"

        charlie_tab.get_by_role("button", name="Save my version anyway").click()
        charlie_tab.wait_for_url(f"**/accounts/{account.pk}/")
        account.refresh_from_db()
        assert (account.industry, account.country) == ("Shipping", "Norway")
    finally:
        bob_context.close()
        charlie_context.close()
