"""Measure the spreadsheet export and import of 200,000 opportunities against their floors.

Usage:
    .venv/bin/python benchmarks/transfer_benchmark.py [--rows 200000] [--accounts 10000]
        [--databases sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432/aw_transfer_benchmark]

For each database the script builds a fresh one: SQLite in a temporary
folder, or the PostgreSQL database named in --postgres, dropped and created
again. It generates the accounts and opportunities, then runs each step in a
separate Python process. So every peak memory figure, the process's peak
resident set size with Django included, belongs to one step:

- export csv / export xlsx: the opportunity list written with the code the
  downloads use, reading the rows from the database;
- floor csv / floor xlsx: the same records, already in a Python list, written
  with the same library (csv, XlsxWriter in constant-memory mode);
- fetch only: the export's rows read from the database, nothing written;
- import csv: the exported CSV file imported into the same database after
  its opportunities were deleted, with the code the command and the wizard use;
- floor insert: the same rows, already in a list, saved with bulk_create in
  batches of 1,000, each with the stage change that the import records for
  every opportunity it creates.

It prints one table per database and the ratio of each measure to its floor,
in wall-clock seconds and in the step process's CPU seconds.
The script never touches a real installation.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/aw_transfer_benchmark"
USERS = 20
STEPS = ["export-csv", "floor-csv", "export-xlsx", "floor-xlsx", "fetch", "import-csv", "floor-insert"]
# Rows per INSERT, as the importer writes them.
INSERT_BATCH = 1000
# CPU seconds of each timed call in a step's process.
CPU_SECONDS: list[float] = []


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="Opportunities to generate (default: 200000).")
    parser.add_argument("--accounts", type=int, default=10_000, help="Accounts to spread them over (default: 10000).")
    parser.add_argument("--databases", default="sqlite,postgres", help="Comma-separated: sqlite, postgres.")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"PostgreSQL URL (default: {DEFAULT_POSTGRES}).")
    parser.add_argument("--step", choices=["setup", *STEPS], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    return parser.parse_args()


# The parent process.


def main() -> None:
    options = _parse_args()
    if options.step:
        _run_step(options)
        return

    print(_machine())
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    for database in options.databases.split(","):
        folder = Path(tempfile.mkdtemp(prefix=f"aw-transfer-benchmark-{database}-"))
        try:
            _benchmark(database.strip(), folder, options)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory_kib / 2**20:.1f} GiB RAM, Python {platform.python_version()}"


def _benchmark(database: str, folder: Path, options) -> None:
    environment = {**os.environ, "DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "accountwise.settings"}
    if database == "sqlite":
        environment["DATABASE_URL"] = f"sqlite:///{folder / 'benchmark.sqlite3'}"
    elif database == "postgres":
        _recreate_postgres(options.postgres)
        environment["DATABASE_URL"] = options.postgres
    else:
        raise SystemExit(f"Unknown database {database!r}; use sqlite or postgres.")

    arguments = ["--rows", str(options.rows), "--accounts", str(options.accounts), "--folder", str(folder)]
    setup = _step("setup", arguments, environment)
    print(f"\n{database}: {setup['version']}; generated {options.accounts:,} accounts and "
          f"{options.rows:,} opportunities in {setup['seconds']:.0f} s")

    results = {step: _step(step, arguments, environment) for step in STEPS}
    _print_table(results)


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _step(step: str, arguments: list[str], environment: dict) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--step", step, *arguments],
        env=environment, cwd=REPOSITORY, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"Step {step} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _print_table(results: dict) -> None:
    print(f"{'step':<14}{'rows':>10}{'seconds':>9}{'CPU s':>8}{'rows/s':>10}{'peak MiB':>10}"
          f"{'vs floor':>10}{'CPU vs floor':>14}")
    floors = {"export-csv": "floor-csv", "export-xlsx": "floor-xlsx", "import-csv": "floor-insert"}
    for step, result in results.items():
        ratio = cpu_ratio = ""
        if step in floors:
            floor = results[floors[step]]
            ratio = f"{result['seconds'] / floor['seconds']:.2f}x"
            cpu_ratio = f"{result['cpu_seconds'] / floor['cpu_seconds']:.2f}x"
        rate = result["rows"] / result["seconds"] if result["seconds"] else 0
        print(f"{step:<14}{result['rows']:>10,}{result['seconds']:>9.1f}{result['cpu_seconds']:>8.1f}{rate:>10,.0f}"
              f"{result['peak_mib']:>10.0f}{ratio:>10}{cpu_ratio:>14}")


# The child process: one step.


def _run_step(options) -> None:
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    folder = Path(options.folder)
    runner = {
        "setup": _setup, "export-csv": _export, "export-xlsx": _export, "floor-csv": _floor_csv,
        "floor-xlsx": _floor_xlsx, "fetch": _fetch, "import-csv": _import_csv, "floor-insert": _floor_insert,
    }[options.step]
    result = runner(options, folder)
    result["cpu_seconds"] = CPU_SECONDS[-1] if CPU_SECONDS else 0.0
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(function, *args) -> tuple[float, object]:
    """Call the function and return the wall-clock seconds it took and its value.

    The CPU seconds of this process in the same call go to CPU_SECONDS, for
    the result line. They vary less than wall-clock time on a busy machine,
    but they leave out the work of a PostgreSQL server.
    """
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    value = function(*args)
    CPU_SECONDS.append(_cpu_seconds() - cpu_started)
    return time.perf_counter() - started, value


def _setup(options, folder: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    seconds, _ = _timed(_generate, options.rows, options.accounts)
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    return {"seconds": seconds, "rows": options.rows, "version": f"{connection.vendor} {version}"}


def _opportunity_values(rows: int, accounts: list, stages: list, users: list):
    """Yield the generated opportunities' field values; the same whenever it is called."""
    for index in range(rows):
        yield {
            "account_id": accounts[index % len(accounts)],
            "name": f"Opportunity {index:07d}",
            "stage_id": stages[index % len(stages)],
            "value": Decimal(index % 100_000) + Decimal("0.50"),
            "close_date": datetime.date(2027, 1, 1) + datetime.timedelta(days=index % 365),
            "owner_id": users[index % len(users)],
        }


def _generate(rows: int, account_count: int) -> None:
    from accountwise.accounts.models import Account
    from accountwise.opportunities.models import Opportunity, Stage
    from accountwise.users.models import User

    users = User.objects.bulk_create(
        User(username=f"kam{index:02d}", first_name="Manager", last_name=f"{index:02d}") for index in range(USERS)
    )
    accounts = Account.objects.bulk_create(
        (Account(name=f"Benchmark account {index:05d}", industry="Retail", country="Germany") for index in range(account_count)),
        batch_size=INSERT_BATCH,
    )
    values = _opportunity_values(
        rows, [a.pk for a in accounts], list(Stage.objects.values_list("pk", flat=True)), [u.pk for u in users]
    )
    Opportunity.objects.bulk_create((Opportunity(**fields) for fields in values), batch_size=5000)


def _export_of_all():
    from accountwise.opportunities.models import Opportunity
    from accountwise.transfer.export.lists import OPPORTUNITIES, Export
    from accountwise.transfer.export.rows import opportunity_rows

    return Export(OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"))


def _export(options, folder: Path) -> dict:
    from accountwise.transfer.export.writers import write_csv, write_xlsx

    file_format = options.step.removeprefix("export-")
    write = write_csv if file_format == "csv" else write_xlsx
    with (folder / f"opportunities.{file_format}").open("wb") as file:
        seconds, rows = _timed(write, _export_of_all(), file)
    return {"seconds": seconds, "rows": rows}


def _records() -> tuple[list[str], list[list]]:
    """Return the export's header and records, read before any timing starts."""
    export = _export_of_all()
    return export.definition.headers, list(export.records())


def _fetch(options, folder: Path) -> dict:
    export = _export_of_all()
    seconds, rows = _timed(lambda: sum(1 for _ in export.records()))
    return {"seconds": seconds, "rows": rows}


def _floor_csv(options, folder: Path) -> dict:
    headers, records = _records()

    def write() -> int:
        with (folder / "floor.csv").open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(headers)
            writer.writerows(records)
        return len(records)

    seconds, rows = _timed(write)
    return {"seconds": seconds, "rows": rows}


def _floor_xlsx(options, folder: Path) -> dict:
    import xlsxwriter

    headers, records = _records()

    def write() -> int:
        workbook = xlsxwriter.Workbook(str(folder / "floor.xlsx"), {"constant_memory": True})
        sheet = workbook.add_worksheet("Opportunities")
        money = workbook.add_format({"num_format": '"$"#,##0.00'})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        percent = workbook.add_format({"num_format": "0%"})
        sheet.write_row(0, 0, headers)
        for number, record in enumerate(records, start=1):
            for column, value in enumerate(record):
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    sheet.write_number(number, column, float(value), percent if column == 3 else money)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(number, column, value, day)
                else:
                    sheet.write_string(number, column, str(value))
        workbook.close()
        return len(records)

    seconds, rows = _timed(write)
    return {"seconds": seconds, "rows": rows}


def _delete_opportunities() -> None:
    """Empty the opportunity table and the stage changes that refer to it, one statement each.

    The ORM's delete() would load every row first. The import records a stage
    change for each opportunity it creates.
    """
    from django.db import connection

    from accountwise.opportunities.models import Opportunity, OpportunityContact, StageChange

    with connection.cursor() as cursor:
        for model in (StageChange, OpportunityContact, Opportunity):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _import_csv(options, folder: Path) -> dict:
    from accountwise.transfer.importers import run_import
    from accountwise.transfer.mapping import OPPORTUNITIES, map_columns
    from accountwise.transfer.readers import read_table

    _delete_opportunities()

    def run():
        table = read_table(folder / "opportunities.csv")
        result = run_import(table, map_columns(table.headers, OPPORTUNITIES))
        if result.errors or not result.written:
            raise SystemExit(f"The import failed: {result.errors[:5]}")
        return result.created

    seconds, rows = _timed(run)
    return {"seconds": seconds, "rows": rows}


def _floor_insert(options, folder: Path) -> dict:
    from accountwise.accounts.models import Account
    from accountwise.opportunities.models import Opportunity, Stage, StageChange
    from accountwise.users.models import User

    _delete_opportunities()
    accounts = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    stages = list(Stage.objects.values_list("pk", flat=True))
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    values = list(_opportunity_values(options.rows, accounts, stages, users))

    def insert() -> int:
        # Each batch as the import writes it: the opportunities, then one stage change per opportunity.
        for start in range(0, len(values), INSERT_BATCH):
            batch = [Opportunity(**fields) for fields in values[start:start + INSERT_BATCH]]
            created = Opportunity.objects.bulk_create(batch)
            StageChange.objects.bulk_create(
                StageChange(opportunity=opportunity, to_stage_id=opportunity.stage_id) for opportunity in created
            )
        return len(values)

    seconds, rows = _timed(insert)
    return {"seconds": seconds, "rows": rows}


if __name__ == "__main__":
    main()
