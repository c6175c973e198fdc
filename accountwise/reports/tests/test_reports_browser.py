import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accountwise.opportunities.models import StageChange
from accountwise.reports.models import ReportDefinition
from accountwise.test import PASSWORD, make_account, make_contract, make_opportunity, make_user, stage
from accountwise.users.models import Role
from conftest import log_in

pytestmark = pytest.mark.browser

# True when a canvas contains a Chart.js chart and at least one painted pixel.
_CHART_DRAWN = """(canvas) => {
  const chart = Chart.getChart(canvas);
  if (!chart) { return false; }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let index = 3; index < pixels.length; index += 4) {
    if (pixels[index] !== 0) { return true; }
  }
  return false;
}"""


def _portfolio():
    alice = make_user("alice", first_name="Alice", role=Role.ADMINISTRATOR)
    acme = make_account("Acme Corporation", owner=alice)
    today = datetime.date.today()
    make_contract(acme, "Support", value=Decimal("12000.00"), end_date=today + datetime.timedelta(days=20))
    for name, stage_name, value, days in [
        ("Plant rollout", "Negotiation", "5000.00", 40),
        ("Analytics upsell", "Proposal", "2000.00", 70),
        ("Pilot", "Prospecting", "300.00", -3),
        ("Licences", "Closed won", "4000.00", -10),
        ("Old tender", "Closed lost", "900.00", -20),
    ]:
        opportunity = make_opportunity(
            acme, name, stage=stage(stage_name), value=Decimal(value),
            close_date=today + datetime.timedelta(days=days), owner=alice,
        )
        StageChange.objects.create(opportunity=opportunity, to_stage=stage("Proposal"))
    return ReportDefinition.objects.create(
        name="Value by stage", entity="opportunity", group_by="stage",
        measures=["count", "total_value"], chart_type="bar",
    )


def _expect_charts_drawn(page, count: int) -> None:
    canvases = page.locator("canvas[data-report-chart]")
    expect(canvases).to_have_count(count)
    for index in range(count):
        canvas = canvases.nth(index)
        expect(canvas).to_have_attribute("data-drawn", "true")
        assert canvas.evaluate(_CHART_DRAWN), f"Chart {index + 1} of {page.url} is blank."


def test_reports_draw_their_charts(page, default_stages):
    definition = _portfolio()
    log_in(page, "alice", PASSWORD)

    # The dashboard is the page after login.
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    _expect_charts_drawn(page, 1)

    page.locator("#aw-sidebar").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Opportunity profile").click()
    expect(page.get_by_test_id("figure-pipeline")).to_have_text("$7,300.00")
    # Stage funnel, close months, owners, accounts, and the won and lost pie.
    _expect_charts_drawn(page, 5)
    stage_labels = page.evaluate("() => Chart.getChart(document.getElementById('chart-stage')).data.labels")
    assert stage_labels == ["Prospecting", "Qualification", "Needs analysis", "Proposal", "Negotiation"]

    page.goto("/reports/")
    page.get_by_role("link", name="Contracts and opportunities").click()
    expect(page.get_by_test_id("report-table-accounts")).to_contain_text("$12,000.00")
    _expect_charts_drawn(page, 1)

    page.goto("/reports/")
    page.get_by_role("link", name="Stage calibration").click()
    expect(page.get_by_test_id("report-table-calibration")).to_contain_text("Proposal")
    _expect_charts_drawn(page, 1)

    page.goto("/reports/")
    page.get_by_role("link", name=definition.name).click()
    expect(page.get_by_test_id("report-table-groups")).to_contain_text("Closed won")
    _expect_charts_drawn(page, 1)
    datasets = page.evaluate("() => Chart.getChart(document.getElementById('chart-groups')).data.datasets.length")
    assert datasets == 2


def test_define_report_in_browser(page, default_stages):
    _portfolio()
    log_in(page, "alice", PASSWORD)

    page.goto("/reports/definitions/")
    page.get_by_role("link", name="Define a report").first.click()
    page.locator("#main").get_by_role("link", name="Opportunities").click()
    form = page.get_by_test_id("definition-form")
    form.get_by_role("textbox", name="Name").fill("Open pipeline by owner")
    form.locator("#id_group_by").select_option(label="Owner")
    form.get_by_role("checkbox", name="Total value").check()
    form.locator("#id_chart_type").select_option(label="Pie chart")
    form.get_by_role("button", name="Create report").click()

    # Two measures cannot share a pie, so the form shows an error and keeps the input.
    expect(page.get_by_text("A pie chart shows one measure")).to_be_visible()
    expect(form.get_by_role("textbox", name="Name")).to_have_value("Open pipeline by owner")
    form.get_by_role("checkbox", name="Count").uncheck()
    form.locator("#id_filter-status").select_option(label="Active")
    form.get_by_role("button", name="Create report").click()

    expect(page.get_by_role("heading", name="Open pipeline by owner", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Total value by owner")).to_be_visible()
    expect(page.get_by_test_id("report-table-groups")).to_contain_text("$7,300.00")
    _expect_charts_drawn(page, 1)
