"""Measure the main pages at portfolio scale against their SQL floors and query budgets.

Usage:
    .venv/bin/python benchmarks/page_benchmark.py [--accounts 10000] [--small-accounts 20]
        [--repeat 15] [--export-repeat 3] [--databases sqlite,postgres] [--reuse] [--strict]
        [--only "accounts list;contracts, account filter"]

For each database the script fills two databases of its own with
`generate_data`: a large one (--accounts) and a small one (--small-accounts).
SQLite files go to a folder under the system's temporary directory; on
PostgreSQL the databases are aw_page_benchmark and aw_page_benchmark_small at
127.0.0.1, dropped and created again. With --reuse, a database that already
contains the requested number of accounts is kept, which saves the generation
(about three minutes per 10,000 accounts).

Each page is requested in this process with django.test.Client, logged in
as an administrator or as the account manager who owns the largest account.
The first request is a warm-up and is not counted. For each page the script
prints the median and 95th percentile server time (the time around
client.get, response body included), the number of queries, and the floor:
the median time of the page's main SQL alone, run through the same
querysets on the same connection, with the ratio of the page to it.
Two more columns split the request: the time of all its queries, and the
time spent rendering templates less the queries run while rendering.

Budgets, each printed as PASS or FAIL:
- queries: the same number of queries on the small and the large database;
- floor: a list page within 2x its floor;
- 300 ms: a page's median below 300 ms on PostgreSQL (exports are
  downloads of every row and have no time budget).

The exit status is 1 when a budget fails and --strict is given, else 0.
"""

import argparse
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE_NAME = "aw_page_benchmark"
FOLDER = Path(tempfile.gettempdir()) / "aw-page-benchmark"
FLOOR_RATIO_BUDGET = 2.0
MEDIAN_BUDGET_MS = 300.0
ADMIN_USERNAME = "benchmark-admin"
REPORT_NAME = "Benchmark: opportunities by stage"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000, help="Accounts in the large database (default: 10000).")
    parser.add_argument("--small-accounts", type=int, default=20,
                        help="Accounts in the small database, for comparing query counts (default: 20).")
    parser.add_argument("--repeat", type=int, default=15,
                        help="Requests per page, the first one discarded as a warm-up (default: 15).")
    parser.add_argument("--export-repeat", type=int, default=3,
                        help="Requests per export of every opportunity, the first one discarded (default: 3).")
    parser.add_argument("--databases", default="sqlite,postgres", help="Comma-separated: sqlite, postgres.")
    parser.add_argument("--reuse", action="store_true",
                        help="Keep a benchmark database that already has the requested number of accounts.")
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a budget fails.")
    parser.add_argument("--only", default="",
                        help='Page names to measure, separated by ";" since names contain commas (default: all).')
    parser.add_argument("--child", choices=["small", "large"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    return parser.parse_args()


# The parent process: one child process per database and size.


def main() -> None:
    options = _parse_args()
    if options.child:
        _run_child(options)
        return

    print(_machine())
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"Load average at start: {_load_average()}")
    failures = 0
    for database in [name.strip() for name in options.databases.split(",")]:
        if database not in ("sqlite", "postgres"):
            raise SystemExit(f"Unknown database {database!r}; use sqlite or postgres.")
        small = _child(database, "small", options)
        large = _child(database, "large", options)
        failures += _print_results(database, small, large)
    print(f"\nLoad average at end: {_load_average()}")
    if failures:
        print(f"{failures} budget(s) failed.")
    if failures and options.strict:
        sys.exit(1)


def _machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return (f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory_kib / 2**20:.1f} GiB RAM, "
            f"Python {platform.python_version()}")


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _child(database: str, size: str, options) -> dict:
    accounts = options.small_accounts if size == "small" else options.accounts
    name = DATABASE_NAME if size == "large" else f"{DATABASE_NAME}_small"
    folder = FOLDER / database
    folder.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "accountwise.settings"}
    if database == "sqlite":
        path = folder / f"{name}.sqlite3"
        if not (options.reuse and path.exists()):
            path.unlink(missing_ok=True)
        environment["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        _prepare_postgres(name, options.reuse)
        environment["DATABASE_URL"] = f"{POSTGRES_SERVER}/{name}"

    arguments = [
        "--child", size, "--database", database, "--accounts", str(accounts), "--repeat", str(options.repeat),
        "--export-repeat", str(options.export_repeat), "--only", options.only,
    ]
    if options.reuse:
        arguments.append("--reuse")
    print(f"\n{database}, {accounts:,} accounts: preparing and measuring...", flush=True)
    completed = subprocess.run(
        [sys.executable, __file__, *arguments], env=environment, cwd=REPOSITORY,
        stdout=subprocess.PIPE, text=True, check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"The {database} run on {accounts:,} accounts failed with status {completed.returncode}.")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _prepare_postgres(name: str, reuse: bool) -> None:
    """Create the benchmark's own database, dropping it first unless it is reused."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _print_results(database: str, small: dict, large: dict) -> int:
    """Print one table for the database and return the number of failed budgets."""
    print(f"\n{database}: {large['version']}; {large['accounts']:,} accounts"
          f"{' (reused)' if large['reused'] else ''}, load average {large['load_before']} before and "
          f"{large['load_after']} after measuring")
    header = (f"{'page':<34}{'median ms':>10}{'p95 ms':>9}{'queries':>8}{'small':>6}{'floor ms':>9}"
              f"{'ratio':>7}{'sql ms':>8}{'render':>8}  budgets")
    print(header)
    print("-" * len(header))
    small_counts = {page["name"]: page["queries"] for page in small["pages"]}
    failures = 0
    for page in large["pages"]:
        verdicts = _verdicts(database, page, small_counts.get(page["name"]))
        failures += sum(1 for verdict in verdicts if verdict.endswith("FAIL"))
        floor = f"{page['floor_ms']:.1f}" if page["floor_ms"] is not None else "-"
        ratio = f"{page['median_ms'] / page['floor_ms']:.2f}x" if page["floor_ms"] else "-"
        print(f"{page['name']:<34}{page['median_ms']:>10.1f}{page['p95_ms']:>9.1f}{page['queries']:>8}"
              f"{small_counts.get(page['name'], '-'):>6}{floor:>9}{ratio:>7}{page['sql_ms']:>8.1f}"
              f"{page['render_ms']:>8.1f}  {' '.join(verdicts)}")
    return failures


def _verdicts(database: str, page: dict, small_queries: int | None) -> list[str]:
    verdicts = []
    if small_queries is not None:
        verdicts.append("queries " + ("PASS" if small_queries == page["queries"] else "FAIL"))
    if page["kind"] == "list" and page["floor_ms"]:
        within = page["median_ms"] <= FLOOR_RATIO_BUDGET * page["floor_ms"]
        verdicts.append("floor " + ("PASS" if within else "FAIL"))
    if database == "postgres" and page["kind"] != "export":
        verdicts.append("300ms " + ("PASS" if page["median_ms"] < MEDIAN_BUDGET_MS else "FAIL"))
    return verdicts


# The child process: one database, set up and measured.


def _run_child(options) -> None:
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from django.conf import settings

    # Each login and saved update logs a line at INFO, which would bury the progress lines.
    logging.disable(logging.INFO)

    # The test client's host; no setup_test_environment(), which would slow template rendering.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    reused = _set_up_database(options.accounts, options.reuse)
    fixtures = _fixtures()
    only = {name.strip() for name in options.only.split(";") if name.strip()}
    load_before = _load_average()
    results = []
    for page in _pages(fixtures):
        if only and page["name"] not in only:
            continue
        repeat = options.export_repeat if page["kind"] == "export" else options.repeat
        results.append(_measure(page, fixtures, max(repeat, 2)))
        print(f"  {page['name']}: {results[-1]['median_ms']:.1f} ms", file=sys.stderr, flush=True)

    print(json.dumps({
        "version": _database_version(), "accounts": options.accounts, "reused": reused,
        "load_before": load_before, "load_after": _load_average(), "pages": results,
    }))


def _set_up_database(accounts: int, reuse: bool) -> bool:
    """Migrate and generate the portfolio unless a reused database has it; return whether it was reused."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from accountwise.accounts.models import Account

    existing = Account.objects.count()
    if reuse and existing == accounts:
        return True
    if existing:
        raise SystemExit(f"The benchmark database has {existing:,} accounts, not {accounts:,}; run without --reuse.")
    started = time.perf_counter()
    call_command("generate_data", accounts=accounts, verbosity=0)
    print(f"  generated {accounts:,} accounts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return False


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}"


def _fixtures() -> dict:
    """Return the users, the largest account and the other records the pages need, creating the missing ones."""
    from django.db.models import Count

    from accountwise.accounts.models import Account
    from accountwise.opportunities.models import Opportunity
    from accountwise.reports.models import ReportDefinition
    from accountwise.users.models import Role, User

    administrator, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"role": Role.ADMINISTRATOR, "first_name": "Benchmark"},
    )
    largest = (
        Account.objects.annotate(opportunity_count=Count("opportunities", distinct=True),
                                 contract_count=Count("contracts", distinct=True))
        .order_by("-opportunity_count", "-contract_count", "pk").select_related("owner").first()
    )
    # The largest account's owner, so that the account page has the same shape on every data set.
    manager = largest.owner
    report, _ = ReportDefinition.objects.get_or_create(
        name=REPORT_NAME,
        defaults={
            "entity": "opportunity", "group_by": "stage", "created_by": administrator,
            "measures": ["count", "total_value", "estimated_value", "average_value", "win_rate"],
        },
    )
    opportunity = Opportunity.objects.filter(account=largest, stage__kind="open").order_by("pk").first()
    return {
        "administrator": administrator, "manager": manager, "largest": largest,
        "report": report, "opportunity": opportunity,
    }


def _pages(fixtures: dict) -> list[dict]:
    """Describe each measured page: URL, user, account filter, kind and the floor that times its main SQL."""
    from django.urls import reverse

    from accountwise.reports.benchmark import MAIN_QUERIES

    largest, manager = fixtures["largest"], fixtures["manager"]
    owner_filter = {"owner": [str(manager.pk)]}
    opportunity = fixtures["opportunity"]

    def page(name, url, kind="page", user="administrator", account_filter=None, floor=None, **extra):
        return {"name": name, "url": url, "kind": kind, "user": user, "account_filter": account_filter,
                "floor": floor, **extra}

    def reports(prefix):
        return [function for name, function in MAIN_QUERIES.items() if name.startswith(prefix)]

    contracts = reverse("portfolio:contracts")
    opportunities = reverse("portfolio:opportunities")
    accounts = reverse("accounts:list")
    csv_export = reverse("transfer:export-portfolio", args=["opportunities", "csv"])
    xlsx_export = reverse("transfer:export-portfolio", args=["opportunities", "xlsx"])
    return [
        page("account page", reverse("accounts:detail", args=[largest.pk]), floor=_account_page_floor),
        page("account page, manager", reverse("accounts:detail", args=[largest.pk]), user="manager",
             floor=_account_page_floor),
        page("accounts list", accounts, kind="list", floor=_accounts_floor),
        page("accounts list, manager", accounts, kind="list", user="manager", floor=_accounts_floor),
        page("search", f"{accounts}?q=logistics", kind="list", floor=_accounts_floor),
        page("contracts", contracts, kind="list", floor=_portfolio_floor("contracts")),
        page("contracts, account filter", contracts, kind="list", account_filter=owner_filter,
             floor=_portfolio_floor("contracts")),
        page("contracts, custom field", f"{contracts}?account_cf_tier=Gold", kind="list",
             floor=_portfolio_floor("contracts")),
        page("contracts, manager", contracts, kind="list", user="manager", floor=_portfolio_floor("contracts")),
        page("opportunities", opportunities, kind="list", floor=_portfolio_floor("opportunities")),
        page("opportunities, account filter", opportunities, kind="list", account_filter=owner_filter,
             floor=_portfolio_floor("opportunities")),
        page("opportunities, custom field", f"{opportunities}?cf_product_line=Analytics", kind="list",
             floor=_portfolio_floor("opportunities")),
        page("opportunities, manager", opportunities, kind="list", user="manager",
             floor=_portfolio_floor("opportunities")),
        page("quick update form", reverse("opportunities:quick-update", args=[opportunity.pk]), htmx=True,
             floor=_quick_update_floor),
        page("quick update save", reverse("opportunities:quick-update", args=[opportunity.pk]), htmx=True,
             post=_quick_update_data, floor=_quick_update_floor),
        page("report: opportunity profile", reverse("reports:opportunity-profile"), kind="report",
             floor=_report_floor(reports("profile."))),
        page("report: contracts and opps", reverse("reports:contracts-opportunities"), kind="report",
             floor=_report_floor(reports("business."))),
        page("report: stage calibration", reverse("reports:stage-calibration"), kind="report",
             floor=_report_floor(reports("calibration"))),
        page("report: defined, by stage", reverse("reports:defined", args=[fixtures["report"].pk]), kind="report",
             floor=_report_floor(reports("defined."))),
        page("export csv, all opportunities", f"{csv_export}?status=all", kind="export",
             floor=_export_floor),
        page("export xlsx, all opportunities", f"{xlsx_export}?status=all", kind="export",
             floor=_export_floor),
    ]


def _measure(page: dict, fixtures: dict, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = fixtures[page["user"]]
    client = Client(raise_request_exception=True)
    client.force_login(user)
    if page["account_filter"]:
        session = client.session
        session["account_filter"] = page["account_filter"]
        session.save()
    headers = {"HX-Request": "true"} if page.get("htmx") else {}

    seconds = []
    phases = []
    queries = 0
    for _ in range(repeat):
        data = page["post"](fixtures) if page.get("post") else None
        with CaptureQueriesContext(connection) as captured, _PhaseTimer() as timer:
            started = time.perf_counter()
            if data is None:
                response = client.get(page["url"], headers=headers)
            else:
                response = client.post(page["url"], data, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seconds.append(time.perf_counter() - started)
        phases.append(timer)
        if response.status_code != 200 or not body:
            raise SystemExit(f"{page['name']}: {page['url']} returned {response.status_code}.")
        queries = len(captured.captured_queries)

    floor_seconds = _time_floor(page, fixtures, user, repeat) if page["floor"] else None
    timed = seconds[1:]
    return {
        "name": page["name"], "kind": page["kind"], "url": page["url"], "queries": queries,
        "median_ms": statistics.median(timed) * 1000, "p95_ms": _percentile(timed, 95) * 1000,
        "floor_ms": floor_seconds * 1000 if floor_seconds is not None else None,
        "sql_ms": statistics.median(timer.sql for timer in phases[1:]) * 1000,
        "render_ms": statistics.median(timer.render for timer in phases[1:]) * 1000,
    }


class _PhaseTimer:
    """Time a request's SQL and its template rendering apart, so a page's fixed costs show.

    `sql` adds up every query of the request, main or not. `render` is the
    time spent rendering templates, less the queries run while rendering.
    """

    def __enter__(self):
        from django.db import connection
        from django.template.backends.django import Template

        self.sql = 0.0
        self.render = 0.0
        self._depth = 0
        self._original_render = Template.render
        timer = self

        def render(template, *args, **kwargs):
            if timer._depth:
                return timer._original_render(template, *args, **kwargs)
            timer._depth += 1
            sql_before = timer.sql
            started = time.perf_counter()
            try:
                return timer._original_render(template, *args, **kwargs)
            finally:
                timer.render += time.perf_counter() - started - (timer.sql - sql_before)
                timer._depth -= 1

        Template.render = render
        self._wrapper = connection.execute_wrapper(self._time_query)
        self._wrapper.__enter__()
        return self

    def _time_query(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += time.perf_counter() - started

    def __exit__(self, *exc_info):
        from django.template.backends.django import Template

        self._wrapper.__exit__(*exc_info)
        Template.render = self._original_render


def _percentile(values: list[float], percent: int) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def _time_floor(page: dict, fixtures: dict, user, repeat: int) -> float:
    """Return the median time of the page's main SQL, run through the page's own querysets."""
    from django.test import RequestFactory

    request = RequestFactory().get(page["url"])
    request.user = user
    # The account filter reads the session with .get() only, so a plain dict can replace it.
    request.session = {"account_filter": page["account_filter"]} if page["account_filter"] else {}
    seconds = []
    for _ in range(repeat):
        # A fresh user object each time, as each request gets, so no per-request cache carries over.
        request.user = type(user).objects.get(pk=user.pk)
        for attribute in ("_account_filter",):
            request.__dict__.pop(attribute, None)
        started = time.perf_counter()
        page["floor"](request, fixtures)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds[1:])


# Floors: the queries that build each page's rows and totals, run alone.


def _accounts_floor(request, fixtures) -> None:
    from accountwise.accounts.filters import AccountFilter, account_list_queryset
    from accountwise.accounts.views import ACCOUNTS_PER_PAGE
    from accountwise.portfolio.scope import filtered_accounts

    rows = AccountFilter(request.GET, queryset=account_list_queryset(filtered_accounts(request))).qs
    list(rows[:ACCOUNTS_PER_PAGE])
    rows.count()


def _portfolio_floor(entity: str):
    def floor(request, fixtures) -> None:
        from accountwise.portfolio.lists import LISTS, portfolio_filter
        from accountwise.portfolio.views import ROWS_PER_PAGE, page_rows

        results = portfolio_filter(request, LISTS[entity])
        page_rows(results.qs, list(results.qs.values_list("pk", flat=True)[:ROWS_PER_PAGE]))
        results.totals_and_status_counts()

    return floor


def _account_page_floor(request, fixtures) -> None:
    from accountwise.contracts.models import Contract
    from accountwise.opportunities.models import Opportunity

    account = fixtures["largest"]
    list(Contract.objects.filter(account=account).active().select_related("owner"))
    opportunities = Opportunity.objects.filter(account=account)
    list(opportunities.open().select_related("stage", "owner"))
    opportunities.open().totals()


def _quick_update_floor(request, fixtures) -> None:
    from accountwise.opportunities.models import Opportunity, Stage

    Opportunity.objects.select_related("account", "stage", "owner").get(pk=fixtures["opportunity"].pk)
    list(Stage.objects.all())


def _quick_update_data(fixtures) -> dict:
    """Return the quick update form's data: the same stage, the value 1 higher, the current version."""
    from accountwise.core.concurrency import VERSION_FIELD, version_of

    opportunity = type(fixtures["opportunity"]).objects.get(pk=fixtures["opportunity"].pk)
    return {"stage": opportunity.stage_id, "value": str(opportunity.value + 1),
            VERSION_FIELD: version_of(opportunity)}


def _report_floor(functions: list):
    def floor(request, fixtures) -> None:
        from accountwise.portfolio.scope import filtered_accounts

        for function in functions:
            function(filtered_accounts(request))

    return floor


def _export_floor(request, fixtures) -> None:
    from accountwise.portfolio.lists import OPPORTUNITIES, portfolio_filter
    from accountwise.transfer.export.columns import row_reader
    from accountwise.transfer.export.lists import CHUNK_SIZE, OPPORTUNITIES as OPPORTUNITY_COLUMNS, Export
    from accountwise.transfer.export.rows import opportunity_rows

    rows = opportunity_rows(portfolio_filter(request, OPPORTUNITIES).qs, "all")
    export = Export(OPPORTUNITY_COLUMNS, rows)
    sources, _ = row_reader(export.definition.columns)
    for _ in rows.values_list(*sources).iterator(chunk_size=CHUNK_SIZE):
        pass


if __name__ == "__main__":
    main()
