"""Production security settings: `check --deploy` passes, and every response carries the headers."""

import os
import subprocess
import sys

from django.urls import reverse

from accountwise.test import BaseTestCase


def _check_deploy(**environment: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": "a-long-random-production-key-" + "q7" * 30, "ALLOWED_HOSTS": "kam.example.com"}
    env.update(environment)
    # Settings are read once per process, so each mode is checked in a process of its own.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "accountwise", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_in_production():
    result = _check_deploy(ACCOUNTWISE_ENV="production")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_in_local_mode():
    result = _check_deploy(ACCOUNTWISE_ENV="local")

    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr
    assert "security.W012" in result.stderr


def test_unknown_mode_rejected():
    result = _check_deploy(ACCOUNTWISE_ENV="staging")

    assert result.returncode != 0
    assert "ACCOUNTWISE_ENV='staging' is not valid; use one of: local, production." in result.stderr


class SecurityHeaderTests(BaseTestCase):
    def test_page_carries_security_headers(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        policy = response.headers["Content-Security-Policy"]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        self.assertIn("'self'", script_src)
        self.assertNotIn("unsafe-inline", script_src)
        self.assertNotIn("unsafe-eval", script_src)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response.headers["Referrer-Policy"], "same-origin")

    def test_login_page_has_policy(self):
        response = self.client.get(reverse("users:login"))

        self.assertIn("default-src 'self'", response.headers["Content-Security-Policy"])
