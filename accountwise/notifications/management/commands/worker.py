import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from accountwise.notifications.actions import send_notifications

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run send_notifications now and then every --interval seconds, until stopped with "
        "SIGTERM or SIGINT (Ctrl-C); a run in progress finishes first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.WORKER_INTERVAL,
            help=f"Seconds between the starts of two runs (default {settings.WORKER_INTERVAL}, from WORKER_INTERVAL).",
        )
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, interval: int, once: bool, **options):
        if interval < 1:
            raise CommandError(f"--interval {interval} is too short; give at least 1 second.")

        stop = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
        pid = os.getpid()
        logger.info("Notification worker %s started: a run every %s seconds", pid, interval)
        runs = 0
        try:
            while not stop.is_set():
                runs += 1
                self._run(pid, runs)
                if once:
                    break
                stop.wait(interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            connections.close_all()
        logger.info("Notification worker %s stopped after %s run%s", pid, runs, "" if runs == 1 else "s")

    def _run(self, pid: int, number: int) -> None:
        # A database restart between runs must not leave the worker with a dead connection.
        close_old_connections()
        logger.info("Notification worker %s: run %s started", pid, number)
        try:
            summary = send_notifications()
        except Exception:
            # The worker outlives a failed run; the next run starts over, and retries what failed.
            logger.exception("Notification worker %s: run %s failed", pid, number)
        else:
            logger.info("Notification worker %s: run %s finished: %s", pid, number, summary)
        finally:
            close_old_connections()
