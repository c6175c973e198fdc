import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accountwise.notifications.tests.factories import make_notification, make_rule
from accountwise.test import PASSWORD, make_account, make_contract, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_bell_count_rises_after_command(page, transactional_db):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    contract = make_contract(
        account, "Support", owner=bob, end_date=timezone.localdate() + datetime.timedelta(days=30)
    )
    make_rule(days_before=[90, 30, 7])

    log_in(page, "bob", PASSWORD)
    page.goto(account.get_absolute_url())
    bell = page.get_by_test_id("notification-bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, 0 unread")
    expect(bell.get_by_test_id("unread-count")).to_have_count(0)

    call_command("send_notifications")
    page.reload()

    expect(bell.get_by_test_id("unread-count")).to_have_text("1")
    bell.click()
    expect(page).to_have_url("/notifications/")
    page.get_by_role("link", name="Support at Acme Corporation ends in 30 days").click()

    expect(page).to_have_url(contract.get_absolute_url())
    expect(page.get_by_role("heading", name="Support")).to_be_visible()
    expect(bell).to_have_attribute("aria-label", "Notifications, 0 unread")


def test_mark_all_read_updates_bell(page, transactional_db):
    bob = make_user("bob", first_name="Bob")
    account = make_account("Acme Corporation", owner=bob)
    contract = make_contract(account, "Support", owner=bob, end_date=datetime.date(2027, 6, 30))
    for days in (90, 30):
        make_notification(bob, contract, days_before=days)

    log_in(page, "bob", PASSWORD)
    page.goto("/notifications/")
    page.evaluate("window.marker = 1")
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    page.get_by_role("button", name="Mark all as read").click()

    expect(page.get_by_text("Marked 2 notifications as read.")).to_be_visible()
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("aria-label", "Notifications, 0 unread")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    expect(page.get_by_text("New", exact=True)).to_have_count(0)
    assert page.evaluate("window.marker") == 1
