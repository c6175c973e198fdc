"""Time the opportunity export and measure its peak Python memory on generated data.

Usage: .venv/bin/python benchmarks/export_benchmark.py [--rows 100000] [--keep]

The script builds a fresh SQLite database in a temporary folder, so it never
touches a real installation. It generates one account per 20 opportunities,
then writes the whole opportunity list as CSV and as XLSX with the same code
as the downloads. It prints the time, the peak Python memory that tracemalloc
saw in a second run, and the file size of each. Peak memory that stays about the same for 10,000
and 100,000 rows shows that the export streams.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ACCOUNT_EVERY = 20
BATCH_SIZE = 5000


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="Opportunities to generate (default: 100000).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    return parser.parse_args()


def _set_up_django(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'benchmark.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountwise.settings")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _generate(rows: int) -> None:
    from accountwise.accounts.models import Account
    from accountwise.opportunities.models import Opportunity, Stage

    stages = list(Stage.objects.all())
    accounts = Account.objects.bulk_create(
        Account(name=f"Benchmark account {index:07d}", industry="Retail", country="Germany")
        for index in range(rows // ACCOUNT_EVERY + 1)
    )
    opportunities = (
        Opportunity(
            account=accounts[index // ACCOUNT_EVERY],
            name=f"Opportunity {index:07d}",
            stage=stages[index % len(stages)],
            value=Decimal(index % 100_000) + Decimal("0.50"),
            close_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=index % 365),
        )
        for index in range(rows)
    )
    Opportunity.objects.bulk_create(opportunities, batch_size=BATCH_SIZE)


def _write(file_format: str, path: Path) -> int:
    from accountwise.opportunities.models import Opportunity
    from accountwise.transfer.export.lists import OPPORTUNITIES, Export
    from accountwise.transfer.export.rows import opportunity_rows
    from accountwise.transfer.export.writers import CSV, write_csv, write_xlsx

    export = Export(OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"))
    write = write_csv if file_format == CSV else write_xlsx
    with path.open("wb") as file:
        return write(export, file)


def _measure(file_format: str, path: Path) -> tuple[int, float, int]:
    """Write the opportunity list twice: timed, then under tracemalloc, which slows it down.

    Return the rows written, the seconds taken and the peak bytes allocated.
    """
    started = time.perf_counter()
    count = _write(file_format, path)
    seconds = time.perf_counter() - started

    tracemalloc.start()
    _write(file_format, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, seconds, peak


def main() -> None:
    options = _parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aw-export-benchmark-"))
    _set_up_django(folder)
    _generate(options.rows)

    print(f"{'format':<8}{'rows':>10}{'seconds':>10}{'peak MiB':>10}{'file MiB':>10}")
    for file_format in ("csv", "xlsx"):
        path = folder / f"opportunities.{file_format}"
        count, seconds, peak = _measure(file_format, path)
        size = path.stat().st_size
        print(f"{file_format:<8}{count:>10,}{seconds:>10.1f}{peak / 2**20:>10.1f}{size / 2**20:>10.1f}")

    if options.keep:
        print(f"Files and database kept in {folder}")
    else:
        import shutil

        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
