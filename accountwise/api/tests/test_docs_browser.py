"""The API documentation pages render in Chromium from this server alone, under the Content Security Policy."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accountwise.core.tests.test_csp_browser import _collect_csp_violations
from accountwise.test import PASSWORD, make_user
from accountwise.users.models import Role
from conftest import log_in

pytestmark = pytest.mark.browser


def _collect_other_hosts(page, live_server) -> list[str]:
    """Record the URL of every request the page sends to a host other than the test server."""
    server = urlsplit(live_server.url).netloc
    other_hosts = []
    page.on(
        "request",
        lambda request: urlsplit(request.url).scheme in ("http", "https")
        and urlsplit(request.url).netloc != server
        and other_hosts.append(request.url),
    )
    return other_hosts


@pytest.mark.parametrize(
    ("path", "title"),
    [("/api/docs/redoc/", ".api-info h1"), ("/api/docs/", ".swagger-ui .info .title")],
    ids=["redoc", "swagger-ui"],
)
def test_docs_load_only_from_server(page, live_server, default_stages, path, title):
    make_user("alice", role=Role.ADMINISTRATOR)
    violations = _collect_csp_violations(page)
    other_hosts = _collect_other_hosts(page, live_server)

    log_in(page, "alice", PASSWORD)
    page.goto(path)
    expect(page.locator(title)).to_contain_text("Accountwise API")
    page.wait_for_load_state("networkidle")

    assert other_hosts == []
    assert violations == []


def test_redoc_search_finds_operation(page, default_stages):
    make_user("alice", role=Role.ADMINISTRATOR)
    violations = _collect_csp_violations(page)

    log_in(page, "alice", PASSWORD)
    page.goto("/api/docs/redoc/")
    page.get_by_placeholder("Search...").fill("opportunities")

    expect(page.locator('[data-role="search:results"] li').first).to_be_visible()
    assert violations == []
