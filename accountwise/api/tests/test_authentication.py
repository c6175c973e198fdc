from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accountwise.api.models import ApiToken
from accountwise.test import BaseTestCase


class BearerTokenTests(BaseTestCase):
    def setUp(self):
        self.token, self.text = ApiToken.issue(self.owner, "Script")
        self.url = reverse("api:v1:account-list")

    def _get(self, text: str):
        return self.client.get(self.url, headers={"Authorization": f"Bearer {text}"})

    def test_token_signs_in(self):
        response = self._get(self.text)

        self.assertEqual(response.status_code, 200)
        self.token.refresh_from_db()
        self.assertIsNotNone(self.token.last_used_at)

    def test_token_acts_as_its_user(self):
        response = self.client.post(
            self.url, {"name": "Initech"}, content_type="application/json",
            headers={"Authorization": f"Bearer {self.text}"},
        )

        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["owner"], self.owner.pk)

    def test_wrong_secret_gets_401(self):
        response = self._get(self.text[:-4] + "abcd")

        self.assertEqual(response.status_code, 401)

    def test_revoked_token_gets_401(self):
        self.token.revoked_at = timezone.now()
        self.token.save()

        response = self._get(self.text)

        self.assertEqual(response.status_code, 401)

    def test_inactive_user_gets_401(self):
        self.owner.is_active = False
        self.owner.save()

        response = self._get(self.text)

        self.assertEqual(response.status_code, 401)

    def test_garbage_token_gets_401(self):
        response = self._get("not-a-token")

        self.assertEqual(response.status_code, 401)

    def test_secret_is_not_stored(self):
        secret = self.text.split("_", 2)[2]

        self.assertNotIn(secret, self.token.secret_hash)
        self.assertTrue(self.token.matches(secret))


class SessionTests(BaseTestCase):
    def test_session_write_needs_csrf(self):
        self.client.handler.enforce_csrf_checks = True
        self.login(self.owner)

        response = self.client.post(reverse("api:v1:account-list"), {"name": "Initech"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])


class ThrottleTests(BaseTestCase):
    def setUp(self):
        cache.clear()

    @override_settings(API_TOKEN_RATE="2/minute")
    def test_token_is_rate_limited(self):
        _, text = ApiToken.issue(self.owner, "Busy script")
        headers = {"Authorization": f"Bearer {text}"}
        url = reverse("api:v1:stage-list")

        codes = [self.client.get(url, headers=headers).status_code for _ in range(3)]

        self.assertEqual(codes, [200, 200, 429])

    @override_settings(API_TOKEN_RATE="1/minute")
    def test_tokens_have_own_limits(self):
        url = reverse("api:v1:stage-list")
        for name in ("First", "Second"):
            _, text = ApiToken.issue(self.owner, name)
            response = self.client.get(url, headers={"Authorization": f"Bearer {text}"})
            self.assertEqual(response.status_code, 200)
