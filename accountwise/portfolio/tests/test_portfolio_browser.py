from decimal import Decimal

import pytest

from accountwise.test import PASSWORD, make_account, make_opportunity, make_user, stage
from conftest import log_in

pytestmark = pytest.mark.browser


def test_account_filter_follows_to_opportunities(page, default_stages):
    erin = make_user("erin", first_name="Erin")
    acme = make_account("Acme Corporation", owner=erin)
    globex = make_account("Globex", owner=erin, country="Germany")
    make_opportunity(acme, "Acme renewal", value=Decimal("1000.00"), stage=stage("Proposal"))
    make_opportunity(globex, "Globex upsell", value=Decimal("500.00"), stage=stage("Negotiation"))
    make_opportunity(globex, "Globex pilot", value=Decimal("200.00"), stage=stage("Prospecting"))

    log_in(page, "erin", PASSWORD)
    page.goto("/accounts/")
    page.get_by_label("Search").fill("globex")
    page.get_by_test_id("apply-account-filter").click()

    chips = page.get_by_test_id("account-filter-chip")
    chips.first.wait_for()
    assert chips.count() == 1
    assert "Search: globex" in " ".join(chips.first.inner_text().split())

    page.locator("#aw-sidebar").get_by_role("link", name="Opportunities").click()
    page.wait_for_url("**/portfolio/opportunities/")
    assert page.get_by_test_id("account-filter-bar").is_visible()
    assert page.get_by_test_id("portfolio-count").inner_text() == "2"
    assert page.get_by_test_id("portfolio-total-value").inner_text() == "$700.00"
    # 500 at 80 % plus 200 at 10 %.
    assert page.get_by_test_id("portfolio-estimated-value").inner_text() == "$420.00"
    assert page.get_by_role("link", name="Acme renewal").count() == 0

    page.get_by_test_id("account-filter-clear").click()
    page.wait_for_url("**/portfolio/opportunities/")
    assert page.get_by_test_id("account-filter-chip").count() == 0
    assert page.get_by_test_id("portfolio-count").inner_text() == "3"
    assert page.get_by_role("link", name="Acme renewal").is_visible()


def test_filter_sort_and_save(page, default_stages):
    erin = make_user("erin", first_name="Erin")
    acme = make_account("Acme Corporation", owner=erin)
    make_opportunity(acme, "Small deal", value=Decimal("100.00"), stage=stage("Proposal"))
    make_opportunity(acme, "Large deal", value=Decimal("9000.00"), stage=stage("Proposal"))

    log_in(page, "erin", PASSWORD)
    page.goto("/portfolio/opportunities/")
    page.get_by_placeholder("Min").fill("500")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**value_min=500**")
    assert page.get_by_test_id("portfolio-count").inner_text() == "1"

    page.get_by_test_id("saved-filter-menu").get_by_role("button").click()
    page.get_by_role("button", name="Save current filter…").click()
    page.get_by_label("Name of the saved filter").fill("Large deals")
    page.get_by_role("button", name="Save filter").click()

    assert page.get_by_text('Saved filter "Large deals" saved.').is_visible()
    assert page.get_by_test_id("portfolio-count").inner_text() == "1"
    page.screenshot(path="/tmp/aw_portfolio_opportunities.png", full_page=True)


def test_filter_change_then_button_swaps_once(page, default_stages):
    erin = make_user("erin", first_name="Erin")
    acme = make_account("Acme Corporation", owner=erin)
    make_opportunity(acme, "Small deal", value=Decimal("100.00"), stage=stage("Proposal"))
    make_opportunity(acme, "Large deal", value=Decimal("9000.00"), stage=stage("Proposal"))
    log_in(page, "erin", PASSWORD)
    page.goto("/portfolio/opportunities/")
    page.evaluate(
        "window.awSwaps = 0;"
        "document.body.addEventListener('htmx:afterSwap', () => { window.awSwaps += 1; });"
    )
    finished, failed = [], []
    page.on("requestfinished", lambda request: finished.append(request.url) if request.headers.get("hx-request") else None)
    page.on("requestfailed", lambda request: failed.append(request.url) if request.headers.get("hx-request") else None)

    # Leaving the field fires "change", and the click then submits: two requests at once.
    page.get_by_placeholder("Min").fill("500")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**value_min=500**")
    page.wait_for_timeout(500)

    assert len(finished) == 1, finished
    assert len(failed) == 1, failed
    assert page.evaluate("window.awSwaps") == 1
    assert page.get_by_test_id("portfolio-count").inner_text() == "1"
