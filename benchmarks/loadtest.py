"""Load test: concurrent API users against two app servers that share one PostgreSQL database.

    .venv/bin/python benchmarks/loadtest.py [--users 20] [--duration 45] [--max-requests 20000]

It creates the database aw_loadtest at 127.0.0.1:5432 (dropped first if it exists,
and dropped again at the end; --postgres names another server or database),
migrates it and seeds one account and one API token per user. Then it starts two
`accountwise serve` processes on free loopback ports and runs Locust headless
(benchmarks/loadtest_locustfile.py) for --duration seconds or --max-requests
requests, whichever comes first. Users create opportunities, update their own,
and add 1 to the value of shared opportunities with If-Match, retrying after 412.

It passes when no request failed (412 responses are expected and counted apart),
every created opportunity is in the database, and the value of each shared
opportunity equals the number of increments the users saw succeed, so that no
update was lost. It prints the p50 and p99 latency and exits 1 on a failure.
Everything it starts listens on 127.0.0.1 only.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "loadtest_locustfile.py"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/aw_loadtest"
SHARED_OPPORTUNITIES = 3
SERVER_START_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent Locust users (default 20)")
    parser.add_argument("--duration", type=int, default=45, help="seconds of load (default 45)")
    parser.add_argument("--max-requests", type=int, default=20000, help="requests after which the run stops (default 20000)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"database to create and use (default {DEFAULT_POSTGRES})")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed_into:
        _seed(args.users, args.seed_into)
        return 0
    _require_loopback(args.postgres)

    with tempfile.TemporaryDirectory(prefix="aw-loadtest-") as work:
        work = Path(work)
        environment = _server_environment(args.postgres, work)
        _recreate_database(args.postgres)
        servers = []
        try:
            print(f"Migrating and seeding {_database_name(args.postgres)}...", flush=True)
            subprocess.run(_accountwise("migrate", "--noinput", "-v0"), env=environment, check=True, cwd=ROOT)
            seed_file = work / "seed.json"
            subprocess.run(
                [sys.executable, __file__, "--users", str(args.users), "--seed-into", str(seed_file)],
                env=environment, check=True, cwd=ROOT,
            )
            hosts = []
            for _ in range(2):
                url, server = _start_server(environment, work)
                hosts.append(url)
                servers.append(server)
            print(f"App servers up at {', '.join(hosts)}", flush=True)

            results_file = work / "results.json"
            _run_locust(args, hosts, seed_file, results_file, work)
            return _verify(args.postgres, json.loads(seed_file.read_text()), results_file, work / "stats_stats.csv")
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
            _drop_database(args.postgres)


def _seed(users: int, output: Path) -> None:
    """Create the accounts, users, tokens and shared opportunities, in a process that sets up Django."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountwise.settings")
    import django

    django.setup()
    from accountwise.accounts.models import Account
    from accountwise.api.models import ApiToken
    from accountwise.opportunities.models import Opportunity, Stage, StageKind
    from accountwise.users.models import User

    open_stages = list(Stage.objects.filter(kind=StageKind.OPEN).values_list("pk", flat=True))
    shared_account = Account.objects.create(name="Shared load test account")
    seats = []
    for number in range(users):
        user = User.objects.create_user(username=f"load{number}", password=None)
        account = Account.objects.create(name=f"Load test account {number}", owner=user)
        shared_account.team_members.add(user)
        _, token = ApiToken.issue(user, "load test")
        seats.append({"token": token, "account": account.pk})
    shared = [
        Opportunity.objects.create(
            account=shared_account, name=f"Shared counter {number}", stage_id=open_stages[0],
            value=0, close_date="2027-06-30",
        ).pk
        for number in range(SHARED_OPPORTUNITIES)
    ]
    output.write_text(json.dumps({"users": seats, "stages": open_stages, "shared": shared}))


def _run_locust(args, hosts: list[str], seed_file: Path, results_file: Path, work: Path) -> None:
    environment = {
        **os.environ,
        "LOADTEST_SEED": str(seed_file),
        "LOADTEST_HOSTS": ",".join(hosts),
        "LOADTEST_MAX_REQUESTS": str(args.max_requests),
        "LOADTEST_RESULTS": str(results_file),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.users),
        "--run-time", f"{args.duration}s", "--host", hosts[0],
        # Users finish the task they are in, so every increment that reached the server is counted.
        "--stop-timeout", "30",
        "--csv", str(work / "stats"), "--only-summary", "--loglevel", "WARNING",
        # Failures are judged below, against the database too.
        "--exit-code-on-error", "0",
    ]
    print(f"Running {args.users} users for {args.duration} s or {args.max_requests} requests...", flush=True)
    subprocess.run(command, env=environment, check=True, cwd=ROOT)


def _verify(postgres: str, seed: dict, results_file: Path, stats_file: Path) -> int:
    results = json.loads(results_file.read_text())
    with stats_file.open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    print(f"Requests: {requests}, failed: {failures}, 412 (stale ETag, retried): {results['stale_412']}")
    print(f"Latency over all requests: p50 {total['50%']} ms, p99 {total['99%']} ms")
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            print(f"  {name}: {row['Request Count']} requests, p50 {row['50%']} ms, p99 {row['99%']} ms")

    problems = []
    if requests == 0:
        problems.append("no request was sent")
    if failures:
        problems.append(f"{failures} requests failed (see the Locust summary above)")
    if results["gave_up"]:
        problems.append(f"{results['gave_up']} increments gave up after repeated 412 answers")

    import psycopg

    with psycopg.connect(postgres) as database:
        created = database.execute("SELECT COUNT(*) FROM opportunities_opportunity WHERE name LIKE 'Load test %%'").fetchone()[0]
        values = dict(
            database.execute("SELECT id, value FROM opportunities_opportunity WHERE id = ANY(%s)", [seed["shared"]]).fetchall()
        )
    if created != results["created"]:
        problems.append(f"{results['created']} opportunities were created, but the database holds {created}")
    for pk in seed["shared"]:
        counted = results["increments"][str(pk)]
        stored = int(values[pk])
        print(f"Shared opportunity {pk}: {counted} successful increments, stored value {stored}")
        if stored != counted:
            problems.append(f"shared opportunity {pk} has value {stored} after {counted} successful increments: an update was lost")

    if problems:
        print("LOAD TEST FAILED: " + "; ".join(problems) + ".")
        return 1
    print(f"Load test passed: {requests} requests, no errors, no lost update.")
    return 0


def _start_server(environment: dict, work: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    log = (work / f"server-{port}.log").open("w")
    server = subprocess.Popen(
        _accountwise("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-log", os.devnull),
        env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"accountwise serve on port {port} exited with {server.returncode}; see {log.name}.")
        try:
            urllib.request.urlopen(url + "/login/", timeout=5).close()
            return url, server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"accountwise serve on port {port} did not respond within {SERVER_START_SECONDS} seconds.")


def _server_environment(postgres: str, work: Path) -> dict:
    environment = {
        **os.environ,
        "DATABASE_URL": postgres,
        "DATA_DIR": str(work),
        # The per-token limit guards a real site; here every user sends hundreds of requests a minute.
        "API_TOKEN_RATE": "1000000/hour",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return environment


def _accountwise(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "accountwise", *arguments]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _require_loopback(postgres: str) -> None:
    host = urlsplit(postgres).hostname
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise SystemExit(f"--postgres must point at a loopback address (127.0.0.1 or ::1), not {host!r}.")


def _database_name(postgres: str) -> str:
    return urlsplit(postgres).path.lstrip("/")


def _maintenance_url(postgres: str) -> str:
    return urlunsplit(urlsplit(postgres)._replace(path="/postgres"))


def _recreate_database(postgres: str) -> None:
    import psycopg

    name = _database_name(postgres)
    with psycopg.connect(_maintenance_url(postgres), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def _drop_database(postgres: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance_url(postgres), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{_database_name(postgres)}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
