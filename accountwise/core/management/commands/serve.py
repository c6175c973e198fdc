import logging
import os
import sys

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

# 2 × cores + 1 sync workers is the starting point that gunicorn's documentation suggests.
# The cap bounds the database connections, one per worker, on machines with many cores.
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


class Command(BaseCommand):
    help = (
        "Serve Accountwise with gunicorn, the production WSGI server, after the system checks "
        "(deployment checks too when ACCOUNTWISE_ENV=production) and a check that every "
        "migration is applied. Static files are served by WhiteNoise."
    )
    # The checks run in handle(), with the deployment checks added in production.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            action="append",
            help="Address and port to listen on, such as 127.0.0.1:8000 (the default) or "
            "unix:/run/accountwise.sock; repeat it to listen on several.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=f"Worker processes (default {default_workers()}: 2 × CPU cores + 1, at most {MAX_DEFAULT_WORKERS}).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=120,
            help="Seconds a request may run before its worker is restarted (default 120); "
            "give an import of a large file more.",
        )
        parser.add_argument(
            "--access-log",
            default="-",
            help="File for the access log, '-' for standard output (the default).",
        )

    def handle(self, *args, bind, workers, timeout, access_log, **options):
        if workers < 1:
            raise CommandError(f"--workers {workers} is invalid; give 1 or more.")
        if timeout < 1:
            raise CommandError(f"--timeout {timeout} is invalid; give at least 1 second.")

        self.check(display_num_errors=True, include_deployment_checks=settings.PRODUCTION, fail_level=checks.ERROR)
        self._require_migrated()
        self._log_setup()

        command = [
            sys.executable, "-m", "gunicorn", "accountwise.wsgi:application",
            "--workers", str(workers),
            "--timeout", str(timeout),
            "--access-logfile", access_log,
            # On SIGTERM, seconds the workers get to finish the requests they are serving.
            "--graceful-timeout", "30",
            # Nothing uses gunicorn's control socket, and two servers on one machine would share its path.
            "--no-control-socket",
        ]
        for address in bind or ["127.0.0.1:8000"]:
            command += ["--bind", address]
        logger.info("Starting gunicorn with %s workers on %s", workers, ", ".join(bind or ["127.0.0.1:8000"]))
        sys.stdout.flush()
        sys.stderr.flush()
        # gunicorn replaces this process, so a service manager's signals reach it directly.
        os.execv(sys.executable, command)

    def _require_migrated(self) -> None:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()
        if pending:
            raise CommandError(
                f"{len(pending)} database migration(s) are not applied; run `accountwise migrate` first."
            )

    def _log_setup(self) -> None:
        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
            logger.info(
                "Serving from SQLite at %s: fine for one machine; several app servers need PostgreSQL.",
                settings.DATABASES["default"]["NAME"],
            )
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            logger.warning(
                "Static files are not collected in %s, so they are served without "
                "cache-friendly names; run `accountwise collectstatic`.",
                settings.STATIC_ROOT,
            )
