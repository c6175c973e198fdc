"""`accountwise serve` started as an operator would start it, in a process of its own on loopback."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    environment = {**os.environ, "DATA_DIR": str(data_dir), **extra}
    environment["DATABASE_URL"] = f"sqlite:///{data_dir / 'accountwise.sqlite3'}"
    # The test process's settings and its async opt-out (set for Playwright) stay out of the server.
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return environment


def _accountwise(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "accountwise", *arguments]


def _get(url: str):
    """Return the response to a GET without following redirects, errors included."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(url, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def _wait_until_up(server: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"accountwise serve exited with {server.returncode}:\n{server.stdout.read()}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"accountwise serve did not answer at {url} within {STARTUP_SECONDS} seconds")


@pytest.fixture
def serve(tmp_path):
    """Start `accountwise serve` on a free loopback port with a migrated SQLite database; yield its URL."""
    started = []

    def start(**environment: str) -> str:
        env = _environment(tmp_path, **environment)
        subprocess.run(_accountwise("migrate", "--noinput", "-v0"), env=env, check=True)
        port = _free_port()
        server = subprocess.Popen(
            _accountwise("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        started.append(server)
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(server, url + "/login/")
        return url

    yield start

    for server in started:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def test_serve_login_and_static(serve):
    url = serve()

    login = _get(url + "/login/")
    static = _get(url + "/static/core/accountwise.js")

    assert login.status == 200
    assert "Log in" in login.read().decode()
    assert "script-src 'self'" in login.headers["Content-Security-Policy"]
    assert static.status == 200
    assert "data-aw-confirm" in static.read().decode()
    # WhiteNoise serves static files itself, with its cache header.
    assert "max-age" in static.headers["Cache-Control"]


def test_serve_collected_static_hashed(serve, tmp_path):
    subprocess.run(_accountwise("collectstatic", "--noinput", "-v0"), env=_environment(tmp_path), check=True)
    url = serve()

    page = _get(url + "/login/").read().decode()
    hashed = re.search(r'/static/(core/accountwise\.[0-9a-f]{12}\.css)', page)
    assert hashed, "the page does not link the hashed stylesheet"
    static = _get(f"{url}/static/{hashed.group(1)}")

    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert static.status == 200
    assert "immutable" in static.headers["Cache-Control"]


def test_serve_production_redirects_to_https(serve):
    url = serve(ACCOUNTWISE_ENV="production", SECRET_KEY="a-long-random-test-key-" + "x" * 40)

    response = _get(url + "/login/")

    assert response.status == 301
    assert response.headers["Location"].startswith("https://127.0.0.1:")


def test_serve_rejects_unapplied_migrations(tmp_path):
    result = subprocess.run(
        _accountwise("serve", "--bind", f"127.0.0.1:{_free_port()}", "--workers", "1"),
        env=_environment(tmp_path), capture_output=True, text=True, timeout=120,
    )

    assert result.returncode != 0
    assert "migration(s) are not applied; run `accountwise migrate` first." in result.stderr


def test_serve_rejects_zero_workers(tmp_path):
    result = subprocess.run(
        _accountwise("serve", "--workers", "0"), env=_environment(tmp_path), capture_output=True, text=True, timeout=120,
    )

    assert result.returncode != 0
    assert "--workers 0 is invalid; give 1 or more." in result.stderr
