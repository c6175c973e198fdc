import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accountwise.test import PASSWORD, BaseTestCase
from accountwise.users.sessions import LAST_REFRESH_KEY

LOGIN_URL = reverse("users:login")


@override_settings(AXES_ENABLED=True)
class LockoutTests(BaseTestCase):
    def attempt(self, password: str, username: str = "bob", address: str = "127.0.0.1"):
        return self.client.post(
            LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_fifth_failure_locks_out(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.attempt("wrong password").status_code, 200)

        response = self.attempt("wrong password")

        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertContains(response, "paused for 15 minutes", status_code=429)

    def test_locked_out_even_with_right_password(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password")

        response = self.attempt(PASSWORD)

        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_other_address_not_locked(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password")

        response = self.attempt(PASSWORD, address="127.0.0.2")

        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)

    def test_other_username_not_locked(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password")

        response = self.attempt(PASSWORD, username="charlie")

        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)

    def test_success_resets_failures(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.attempt("wrong password")
        self.attempt(PASSWORD)
        self.client.logout()

        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.attempt("wrong password").status_code, 200)
        response = self.attempt(PASSWORD)

        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)

    def test_api_token_unaffected(self):
        from accountwise.api.models import ApiToken

        _, text = ApiToken.issue(self.owner, "Script")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password")

        response = self.client.get(reverse("api:v1:account-list"), HTTP_AUTHORIZATION=f"Bearer {text}")

        self.assertEqual(response.status_code, 200)


class PasswordRuleTests(BaseTestCase):
    def test_nine_characters_rejected(self):
        with self.assertRaisesMessage(ValidationError, "at least 10 characters"):
            validate_password("k7#pQz!w2")

    def test_common_password_rejected(self):
        with self.assertRaisesMessage(ValidationError, "too common"):
            validate_password("password1234")

    def test_numeric_password_rejected(self):
        with self.assertRaisesMessage(ValidationError, "entirely numeric"):
            validate_password("4829175036")

    def test_similar_to_username_rejected(self):
        with self.assertRaisesMessage(ValidationError, "too similar"):
            validate_password("charlie-brown", user=self.teammate)

    def test_set_password_form_names_rule(self):
        self.login(self.admin)

        response = self.client.post(
            reverse("users:set-password", args=[self.owner.pk]),
            {"new_password1": "short", "new_password2": "short"},
        )

        self.assertContains(response, "at least 10 characters")
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password(PASSWORD))


class SessionExpiryTests(BaseTestCase):
    def test_session_lasts_eight_idle_hours(self):
        self.login(self.owner)

        self.assertEqual(self.client.session.get_expiry_age(), 8 * 3600)

    def test_recent_session_not_saved_again(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)

    def test_activity_extends_older_session(self):
        self.login(self.owner)
        session = self.client.session
        session[LAST_REFRESH_KEY] -= settings.SESSION_REFRESH_SECONDS
        session.save()
        stored = Session.objects.filter(session_key=session.session_key)
        stored.update(expire_date=timezone.now() + datetime.timedelta(hours=1))

        response = self.client.get(reverse("accounts:list"))

        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cookie["max-age"], 8 * 3600)
        self.assertGreater(stored.get().expire_date, timezone.now() + datetime.timedelta(hours=7))
