import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accountwise.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive with a consistent copy of the SQLite database, taken while the "
        "site runs, and the uploaded documents and import files. PostgreSQL is backed up with "
        "pg_dump instead, as docs/deploy.md describes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default DATA_DIR/backups/accountwise-YYYYMMDD-HHMMSS.tar.gz).",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = settings.DATA_DIR / "backups" / f"accountwise-{stamp}.tar.gz"
            output.parent.mkdir(parents=True, exist_ok=True)
        if output.is_dir():
            raise CommandError(f"--output {output} is a folder; give the name of the archive to write.")
        if not output.parent.is_dir():
            raise CommandError(f"--output {output}: the folder {output.parent} does not exist.")

        try:
            manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None

        rows = sum(manifest["database"]["row_counts"].values())
        files = len(manifest["media"]["files"])
        self.stdout.write(f"Backup written to {output}: {rows} database rows, {files} uploaded files.")
        if not manifest["media"]["included"]:
            self.stdout.write(
                "Uploaded documents are kept in S3 (DOCUMENT_STORAGE=s3) and are not in this archive; "
                "back up the bucket with the tools of its provider."
            )
