"""accountwise import accounts|contacts|contracts|opportunities FILE: import a CSV or XLSX file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from accountwise.opportunities.models import StageKind
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import (
    ACCOUNTS,
    CONTACTS,
    ENTITIES,
    OPPORTUNITIES,
    MappingError,
    field_names,
    map_columns,
    parse_map_option,
)
from accountwise.transfer.readers import DELIMITERS, ImportFileError, read_table
from accountwise.transfer.references import read_references
from accountwise.transfer.rejects import default_rejects_path, save_rejects
from accountwise.transfer.results import ImportOptions, ImportResult
from accountwise.transfer.stages import StageMapError

_DELIMITER_NAMES = {name: character for character, name in DELIMITERS.items()}
# In --skip-invalid mode the rejects file contains every reason, so the terminal shows the first few.
_ERRORS_SHOWN_WHEN_SKIPPING = 20
# Every row error is printed separately, so the summary of an unknown stage names only its first lines.
_LINE_RANGES_SHOWN = 20
# Names of created accounts printed in the summary.
_NAMES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Import accounts, contacts, contracts or opportunities from a CSV or XLSX file. Every row is "
        "validated; with any invalid row nothing is written unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=ENTITIES, help="What the file contains.")
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--sheet", metavar="NAME", help="XLSX sheet to read (default: the first).")

        parser.add_argument(
            "--map", action="append", default=[], metavar="COLUMN=FIELD",
            help="Read COLUMN into FIELD, or ignore COLUMN with COLUMN= (repeatable). "
            + " ".join(f"{entity.capitalize()}: {', '.join(field_names(entity))}." for entity in ENTITIES),
        )
        parser.add_argument(
            "--stage-map", action="append", default=[], metavar="NAME=STAGE",
            help='Treat stage NAME in the file as the existing STAGE, e.g. "Won=Closed won" (repeatable).',
        )
        parser.add_argument(
            "--create-stages", action="store_true",
            help="Add unknown stage names as open stages with probability 0 %%.",
        )

        parser.add_argument(
            "--create-owners", action="store_true",
            help="Create a member without a password for each unknown owner.",
        )
        parser.add_argument(
            "--create-accounts", action="store_true",
            help="Create the accounts that contacts, contracts or opportunities name but that do not exist.",
        )
        parser.add_argument(
            "--references", metavar="ACCOUNTS_JSON",
            help="Accounts.json of a Salesforce data-tree export, to resolve account references such as @AccountRef1.",
        )

        parser.add_argument(
            "--skip-invalid", action="store_true",
            help="Import the valid rows and write the invalid ones to a rejects CSV file.",
        )
        parser.add_argument(
            "--rejects", metavar="PATH",
            help="Where --skip-invalid writes the rejected rows (default: DATA_DIR/imports/).",
        )
        parser.add_argument(
            "--date-format", metavar="FORMAT",
            help="strptime format for dates that are not ISO, e.g. %%d/%%m/%%Y.",
        )

        parser.add_argument("--encoding", help="Text encoding of a CSV file (default: detected).")
        parser.add_argument(
            "--delimiter", choices=list(_DELIMITER_NAMES),
            help="Column delimiter of a CSV file (default: detected).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and count without writing.")

    def handle(self, *args, **options):
        self._check_options(options)
        table = self._read(options)
        mapping = self._map(table, options)
        result = self._import(table, mapping, options)

        self._report_errors(result, options)
        if result.errors and not options["skip_invalid"]:
            raise CommandError(
                f"{result.rejected:,} of {_count(result.row_count, 'row')} are invalid "
                f"({_count(len(result.errors), 'error')} listed above), so nothing was imported. "
                "Fix them, or pass --skip-invalid to import the valid rows and write the others "
                "to a rejects file."
            )
        self._report_summary(result, options)
        if result.errors and not options["dry_run"]:
            self._save_rejects(table, result, options)

    def _check_options(self, options) -> None:
        if options["entity"] != OPPORTUNITIES and (options["stage_map"] or options["create_stages"]):
            raise CommandError("--stage-map and --create-stages apply to opportunities only.")
        if options["entity"] == ACCOUNTS and options["create_accounts"]:
            raise CommandError("--create-accounts applies to contacts, contracts and opportunities, whose rows name an account.")
        if options["rejects"] and not options["skip_invalid"]:
            raise CommandError("--rejects needs --skip-invalid: without it, nothing is imported when a row is invalid.")
        if options["date_format"] and "%" not in options["date_format"]:
            raise CommandError(
                f'--date-format "{options["date_format"]}" has no % directives; write it like %d/%m/%Y.'
            )

    def _read(self, options):
        delimiter = _DELIMITER_NAMES.get(options["delimiter"]) if options["delimiter"] else None
        try:
            table = read_table(
                Path(options["file"]),
                sheet=options["sheet"],
                encoding=options["encoding"],
                delimiter=delimiter,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        self.stdout.write(f"Read {table.filename} ({table.describe()}): {_count(len(table.rows), 'row')}.")
        if table.other_sheets and not options["sheet"]:
            self.stdout.write(
                f'The workbook has {len(table.sheet_names)} sheets ({", ".join(table.sheet_names)}); '
                f'read the first, "{table.sheet}". Pass --sheet NAME to read another.'
            )
        return table

    def _map(self, table, options):
        try:
            overrides = dict(parse_map_option(text) for text in options["map"])
            mapping = map_columns(table.headers, options["entity"], overrides)
        except MappingError as error:
            raise CommandError(f"{table.filename}: {error} (with --map).") from None

        ordered = sorted(mapping.columns.items(), key=lambda item: item[1])
        columns = ", ".join(f"{mapping.headers[index]} → {name}" for name, index in ordered)
        self.stdout.write(f"Columns: {columns}.")
        by_reason: dict[str, list[str]] = {}
        for column in mapping.ignored:
            by_reason.setdefault(column.reason, []).append(column.header)
        for reason, headers in by_reason.items():
            self.stdout.write(f"Ignored columns ({reason}): {', '.join(headers)}.")
        return mapping

    def _import(self, table, mapping, options) -> ImportResult:
        try:
            stage_map = dict(_split_stage_map(text) for text in options["stage_map"])
            import_options = ImportOptions(
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
                create_owners=options["create_owners"],
                create_stages=options["create_stages"],
                stage_map=stage_map,
                date_format=options["date_format"],
                create_accounts=options["create_accounts"],
                references=self._references(options),
            )
            return run_import(table, mapping, import_options)
        except StageMapError as error:
            raise CommandError(f"--stage-map: {error}.") from None
        except IntegrityError as error:
            raise CommandError(
                f"The database rejected the import ({error}), so nothing was written. "
                "Another change may have happened at the same time; run the import again."
            ) from None

    def _references(self, options):
        if not options["references"]:
            return None
        try:
            references = read_references(Path(options["references"]))
        except ImportFileError as error:
            raise CommandError(f"--references: {error}") from None
        self.stdout.write(f"References: {_count(len(references), 'account')} in {references.filename}.")
        return references

    def _report_errors(self, result: ImportResult, options) -> None:
        printed = result.errors
        if options["skip_invalid"]:
            printed = result.errors[:_ERRORS_SHOWN_WHEN_SKIPPING]
        for error in printed:
            self.stderr.write(str(error))
        if len(printed) < len(result.errors):
            self.stderr.write(f"… and {len(result.errors) - len(printed):,} more errors, all listed in the rejects file.")

        for name, lines in result.unknown_stages.items():
            self.stderr.write(
                f'Unknown stage "{name}" on {_count(len(lines), "row")} ({_line_ranges(lines)}): map it with '
                f'--stage-map "{name}=STAGE" or add it as an open stage with --create-stages.'
            )

    def _report_summary(self, result: ImportResult, options) -> None:
        self.stdout.write(
            f"{result.entity.capitalize()}: {result.created:,} created, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged, {result.rejected:,} rejected."
        )
        if result.entity == OPPORTUNITIES:
            for kind in StageKind:
                total = result.by_stage_kind.get(kind)
                if total:
                    self.stdout.write(f"  {kind.label}: {total.count:,}, total value {total.value:,.2f}")
        elif result.with_parent:
            self.stdout.write(f"  {result.with_parent:,} of them have a parent account.")
        elif result.entity == CONTACTS and result.with_manager:
            self.stdout.write(f"  {result.with_manager:,} of them report to another contact.")

        if result.created_accounts:
            shown = ", ".join(result.created_accounts[:_NAMES_SHOWN])
            more = f" and {len(result.created_accounts) - _NAMES_SHOWN:,} more" if len(result.created_accounts) > _NAMES_SHOWN else ""
            self.stdout.write(f"Created {_count(len(result.created_accounts), 'account')}: {shown}{more}.")

        if result.created_owners:
            self.stdout.write(
                f"Created {_count(len(result.created_owners), 'owner')} as members without a password; they cannot "
                f"sign in until an administrator sets one: {', '.join(result.created_owners)}."
            )
        if result.created_stages:
            self.stdout.write(
                f"Created {_count(len(result.created_stages), 'open stage')} with probability 0 %: "
                f"{', '.join(result.created_stages)}. An administrator should set their probability."
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")

    def _save_rejects(self, table, result: ImportResult, options) -> None:
        path = Path(options["rejects"]) if options["rejects"] else default_rejects_path(table)
        try:
            count = save_rejects(path, table, result)
        except OSError as error:
            raise CommandError(
                f"The import was saved, but the rejects file {path} could not be written ({error.strerror}); "
                "pass --rejects with a writable path to keep the rejected rows next time."
            ) from None
        self.stdout.write(f'Wrote {_count(count, "rejected row")}, with the reasons in an "error" column, to {path}')


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _split_stage_map(text: str) -> tuple[str, str]:
    name, separator, stage = text.partition("=")
    if not separator or not name.strip() or not stage.strip():
        raise CommandError(f'--stage-map "{text}" is not of the form NAME=STAGE, e.g. "Won=Closed won".')
    return name.strip(), stage.strip()


def _line_ranges(lines: list[int]) -> str:
    """Return line numbers as ranges, the first few only: [2, 3, 4, 7] becomes "lines 2–4, 7"."""
    ranges: list[list[int]] = []
    for line in sorted(lines):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])

    shown = ", ".join(
        str(start) if start == end else f"{start}–{end}" for start, end in ranges[:_LINE_RANGES_SHOWN]
    )
    if len(ranges) > _LINE_RANGES_SHOWN:
        return f"lines {shown}, …"
    return f"lines {shown}"
