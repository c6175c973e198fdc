from django.core.management.base import BaseCommand

from accountwise.history.deletion import purge_deleted, retention


_PLURALS = {"account": "accounts", "contract": "contracts", "opportunity": "opportunities"}


class Command(BaseCommand):
    help = "Delete for good the accounts, contracts and opportunities deleted longer ago than ACCOUNTWISE_DELETED_RETENTION_DAYS."

    def handle(self, *args, **options):
        counts = purge_deleted()
        summary = ", ".join(f"{count} {_PLURALS[kind] if count != 1 else kind}" for kind, count in counts.items())
        self.stdout.write(f"Purged records deleted more than {retention().days} days ago: {summary}.")
