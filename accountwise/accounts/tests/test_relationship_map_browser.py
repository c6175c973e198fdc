import pytest
from playwright.sync_api import expect

from accountwise.accounts.models import Sentiment
from accountwise.test import PASSWORD, make_account, make_contact, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_switch_between_list_and_map(page, transactional_db):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    ceo = make_contact(account, "Coyote", first_name="Wile", sentiment=Sentiment.SUPPORTER)
    cfo = make_contact(account, "Duck", first_name="Daisy", sentiment=Sentiment.HOSTILE, reports_to=ceo)

    log_in(page, "bob", PASSWORD)
    page.goto(f"{account.get_absolute_url()}contacts/")
    page.evaluate("window.marker = 1")
    page.get_by_role("link", name="Relationship map").click()

    chart = page.get_by_test_id("relationship-map")
    expect(chart.locator(f"#map-contact-{ceo.pk}")).to_have_class("aw-org-node aw-sentiment-supporter")
    expect(chart.locator(f"#map-contact-{ceo.pk} + ul #map-contact-{cfo.pk}")).to_be_visible()
    expect(page).to_have_url(f"{account.get_absolute_url()}contacts/?view=map")
    assert page.evaluate("window.marker") == 1

    chart.get_by_role("link", name="Daisy Duck").click()
    expect(page.get_by_role("heading", name="Daisy Duck")).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("relationship-map")).to_be_visible()
    page.get_by_role("link", name="List").click()
    expect(page.locator(f"#contact-{cfo.pk}")).to_contain_text("Wile Coyote")
    expect(page).to_have_url(f"{account.get_absolute_url()}contacts/")
