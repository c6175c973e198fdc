from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountwise.core.backup import BackupError, has_data, read_manifest, require_sqlite, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the SQLite database and the uploaded files with those of an archive written by "
        "`accountwise backup`. Stop the server and the worker first. The archive is checked "
        "against its manifest before anything changes."
    )
    # The database may be empty or from another version until the restore has run.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Backup archive (.tar.gz) to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already contains data. Every change made since the backup is lost.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.is_file():
            raise CommandError(f"Backup archive {archive} not found.")

        try:
            require_sqlite()
            manifest = read_manifest(archive)
            if has_data() and not force:
                raise CommandError(
                    "The database already contains data, which the restore would replace. "
                    "Back it up first if you may need it, then run the restore again with --force."
                )
            result = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None

        rows = sum(manifest["database"]["row_counts"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Accountwise {manifest['accountwise_version']}): "
            f"{rows} database rows, {result.files} uploaded files. Run `accountwise migrate` if this "
            "version of Accountwise is newer than the backup's."
        )
