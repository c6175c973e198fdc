from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accountwise.test import (
    PASSWORD,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
    make_user,
    stage,
)
from conftest import log_in

pytestmark = pytest.mark.browser


def _add_contact(section, opportunity_name: str, contact: str, buying_role: str) -> None:
    section.get_by_role("link", name=f"Add a contact to {opportunity_name}").click()
    form = section.get_by_test_id("contact-add-form")
    form.get_by_label("Contact").select_option(label=contact)
    form.get_by_label("Buying role").select_option(label=buying_role)
    form.get_by_role("button", name="Add").click()
    expect(section.get_by_test_id("contact-add-form")).to_have_count(0)


def _chart_row(section, contact: str) -> list[str]:
    row = section.get_by_test_id("contact-chart-row").filter(has_text=contact)
    return [" ".join(text.split()) for text in row.locator("td").all_inner_texts()]


def test_contacts_won_deal_and_chart(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    wile = make_contact(account, "Coyote", first_name="Wile")
    road = make_contact(account, "Runner", first_name="Road")
    make_contact(account, "Martian", first_name="Marvin")
    rollout = make_opportunity(account, "Plant rollout", stage=stage("Negotiation"), value=Decimal("4200.00"))
    make_opportunity(account, "Analytics upsell", stage=stage("Proposal"), value=Decimal("1000.00"))
    old_deal = make_opportunity(account, "Old deal", stage=stage("lost"), value=Decimal("500.00"))
    make_opportunity_contact(old_deal, road)

    log_in(page, "bob", PASSWORD)
    page.goto(f"{account.get_absolute_url()}?opportunities=active")
    page.evaluate("window.marker = 1")
    section = page.locator("#opportunities-section")
    _add_contact(section, "Plant rollout", "Wile Coyote", "Decision maker")
    _add_contact(section, "Plant rollout", "Road Runner", "Champion")
    _add_contact(section, "Analytics upsell", "Marvin Martian", "Technical buyer")

    rollout_row = section.locator(f"#opportunity-{rollout.pk}")
    expect(rollout_row.get_by_test_id("opportunity-contact")).to_have_count(2)
    expect(rollout_row.get_by_title("Wile Coyote: Decision maker")).to_be_visible()

    rollout_row.get_by_role("link", name="Update opportunity Plant rollout").click()
    quick = section.locator("tr.aw-quick-update")
    quick.get_by_label("Stage").select_option(label="Closed won (100 %)")
    quick.get_by_role("button", name="Save").click()
    expect(section.get_by_test_id("won-offer")).to_be_visible()

    # The chart reloads itself after the in-place change, without a page load.
    chart = section.get_by_test_id("opportunity-contact-chart")
    expect(chart.get_by_test_id("contact-chart-row").filter(has_text="Wile Coyote")).to_contain_text("Key influencer")
    assert _chart_row(chart, "Road Runner") == ["Road Runner Key influencer", "2", "$4,700.00", "$4,200.00", "50 %"]
    assert _chart_row(chart, "Wile Coyote") == ["Wile Coyote Key influencer", "1", "$4,200.00", "$4,200.00", "100 %"]
    assert _chart_row(chart, "Marvin Martian") == ["Marvin Martian", "1", "$1,000.00", "$0.00", "—"]
    assert page.evaluate("window.marker") == 1

    canvas = chart.locator("canvas")
    expect(canvas).to_have_attribute("data-drawn", "true")
    labels = page.evaluate(
        "() => Chart.getChart(document.querySelector('#opportunity-contact-chart canvas')).data.labels"
    )
    assert labels == ["★ Road Runner", "★ Wile Coyote", "Marvin Martian"]
    box = canvas.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 100


def test_remove_contact_from_row(page, default_stages):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    opportunity = make_opportunity(account, "Plant rollout")
    make_opportunity_contact(opportunity, make_contact(account, "Coyote", first_name="Wile"))

    log_in(page, "bob", PASSWORD)
    page.goto(f"{account.get_absolute_url()}?opportunities=active")
    section = page.locator("#opportunities-section")
    expect(section.get_by_test_id("contact-chart-row")).to_have_count(1)

    section.get_by_role("button", name="Remove Wile Coyote from Plant rollout").click()

    expect(section.locator(f"#opportunity-{opportunity.pk}").get_by_test_id("opportunity-contact")).to_have_count(0)
    expect(section.get_by_test_id("contact-chart-row")).to_have_count(0)
    assert not opportunity.opportunity_contacts.exists()
