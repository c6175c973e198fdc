"""Which address failed logins count against: REMOTE_ADDR, or the client behind trusted proxies."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from accountwise.test import PASSWORD, BaseTestCase
from accountwise.users.client_ip import client_ip

LOGIN_URL = reverse("users:login")
PROXY = "127.0.0.1"


def _request(forwarded_for: str | None = None, remote_addr: str = PROXY):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post(LOGIN_URL, **headers)


class ClientIpTests(SimpleTestCase):
    def test_no_proxy_uses_remote_addr(self):
        self.assertEqual(client_ip(_request("127.0.0.5")), PROXY)

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_one_proxy_uses_last_entry(self):
        self.assertEqual(client_ip(_request("127.0.0.9, 127.0.0.5")), "127.0.0.5")

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=2)
    def test_two_proxies_skip_the_inner_one(self):
        self.assertEqual(client_ip(_request("127.0.0.9,127.0.0.5, 127.0.0.3")), "127.0.0.5")

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_missing_header_uses_remote_addr(self):
        self.assertEqual(client_ip(_request()), PROXY)

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=2)
    def test_short_header_uses_remote_addr(self):
        self.assertEqual(client_ip(_request("127.0.0.5")), PROXY)

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_malformed_entry_uses_remote_addr(self):
        with self.assertLogs("accountwise.users.client_ip", "WARNING") as logs:
            address = client_ip(_request("not-an-address"))

        self.assertEqual(address, PROXY)
        self.assertIn("'not-an-address'", logs.output[0])

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_ipv6_entry(self):
        self.assertEqual(client_ip(_request("::1")), "::1")


@override_settings(AXES_ENABLED=True)
class ProxyLockoutTests(BaseTestCase):
    def attempt(self, password: str, forwarded_for: str):
        return self.client.post(
            LOGIN_URL,
            {"username": "bob", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_behind_proxy_locks_out_the_client(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password", "127.0.0.5")

        locked = self.attempt(PASSWORD, "127.0.0.5")
        other_client = self.attempt(PASSWORD, "127.0.0.6")

        self.assertEqual(locked.status_code, 429)
        self.assertRedirects(other_client, reverse("core:home"), fetch_redirect_response=False)

    @override_settings(ACCOUNTWISE_TRUSTED_PROXY_COUNT=1)
    def test_behind_proxy_forged_entries_do_not_help(self):
        for index in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password", f"127.0.1.{index}, 127.0.0.5")

        response = self.attempt(PASSWORD, "127.0.2.1, 127.0.0.5")

        self.assertEqual(response.status_code, 429)

    def test_without_proxy_forged_header_ignored(self):
        for index in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong password", f"127.0.1.{index}")

        response = self.attempt(PASSWORD, "127.0.2.1")

        self.assertEqual(response.status_code, 429)


def test_negative_proxy_count_rejected():
    env = {**os.environ, "ACCOUNTWISE_TRUSTED_PROXY_COUNT": "-1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "accountwise", "check"]

    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "ACCOUNTWISE_TRUSTED_PROXY_COUNT=-1 must be 0 or more" in result.stderr
