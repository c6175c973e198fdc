import pytest

from accountwise.test import PASSWORD, make_user
from conftest import log_in

pytestmark = pytest.mark.browser


def test_login_then_logout(page, transactional_db):
    make_user("erin")

    log_in(page, "erin", PASSWORD)
    page.goto("/password/")
    page.get_by_role("button", name="Erin").click()
    page.get_by_role("button", name="Log out").click()

    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Log in to Accountwise").is_visible()


def test_login_wrong_password_shows_error(page, transactional_db):
    make_user("erin")

    page.goto("/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    assert page.get_by_text("Please enter a correct username and password").is_visible()
    assert page.get_by_label("Username").input_value() == "erin"
