"""The steps of an import through the browser: keep the upload, read it, preview it, run it.

The wizard's views call these; the reading, checking and writing of rows is
run_import(), the same code the command line uses.
"""

import io
import logging
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils import timezone

from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import OPPORTUNITIES, ColumnMapping, MappingError, map_columns
from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.progress import ProgressRecorder
from accountwise.transfer.readers import ImportFileError, Row, Table, read_table
from accountwise.transfer.references import AccountReferences, read_references
from accountwise.transfer.rejects import REJECTS_ENCODING, write_rejects
from accountwise.transfer.results import ImportOptions, ImportResult
from accountwise.transfer.stages import StageMapError, StageResolver

logger = logging.getLogger(__name__)

# Rows shown, with their errors, on the preview page.
PREVIEW_ROWS = 20
# Row errors kept in the run's summary for the result page; the rejects file has all of them.
ERRORS_KEPT = 100
# Stage choice that adds the file's stage name as a new open stage.
CREATE_STAGE = "__create__"


def save_upload(user, entity: str, upload: UploadedFile, table: Table, references: UploadedFile | None) -> ImportRun:
    """Store an uploaded file, already read into table, and start a run for it."""
    run = ImportRun(
        created_by=user,
        entity=entity,
        file_name=Path(upload.name).name[:255],
        file_size=upload.size,
        row_count=table.row_count,
    )
    upload.seek(0)
    run.file.save(upload.name, upload, save=False)
    if references is not None:
        references.seek(0)
        run.references_file.save(references.name, references, save=False)
        run.references_file_name = Path(references.name).name[:255]
    run.save()
    logger.info("Import run %s: %s uploaded %s (%s rows of %s)", run.pk, user, run.file_name, run.row_count, entity)
    return run


def open_table(run: ImportRun, **settings) -> Table:
    """Read the run's file with its sheet, encoding and delimiter, or with those given."""
    options = {key: run.options.get(key) or None for key in ("sheet", "encoding", "delimiter")}
    options.update(settings)
    with run.file.open("rb") as file:
        return read_table(file, run.file_name, **options)


def open_references(run: ImportRun) -> AccountReferences | None:
    if not run.references_file:
        return None
    with run.references_file.open("rb") as file:
        return read_references(file, run.references_file_name)


def column_mapping(run: ImportRun, table: Table) -> ColumnMapping:
    """Return the columns as the person mapped them; raise MappingError when they no longer fit."""
    return map_columns(table.headers, run.entity, run.mapping or None)


def import_options(run: ImportRun, *, dry_run: bool = False) -> ImportOptions:
    options = run.options
    return ImportOptions(
        skip_invalid=bool(options.get("skip_invalid")),
        dry_run=dry_run,
        create_owners=bool(options.get("create_owners")),
        create_stages=bool(options.get("create_stages")),
        stage_map=dict(options.get("stage_map") or {}),
        date_format=options.get("date_format") or None,
        create_accounts=bool(options.get("create_accounts")),
        references=open_references(run),
        acting_user=run.created_by,
    )


def unknown_stages(table: Table, mapping: ColumnMapping) -> dict[str, int]:
    """Return the stage names in the file that match no stage, with the number of rows of each."""
    if mapping.entity != OPPORTUNITIES:
        return {}
    resolver = StageResolver()
    index = mapping.columns["stage"]
    counts: Counter = Counter()
    spellings: dict[str, str] = {}
    for row in table.iter_rows():
        text = " ".join(str(row.value(index) or "").split())
        if text and resolver.find(text) is None:
            key = text.casefold()
            spellings.setdefault(key, text)
            counts[key] += 1
    return {spellings[key]: count for key, count in counts.items()}


def save_stage_choices(run: ImportRun, choices: dict[str, str]) -> None:
    """Keep the stage chosen for each unknown stage name: a stage name, or CREATE_STAGE."""
    run.options["stage_map"] = {name: stage for name, stage in choices.items() if stage != CREATE_STAGE}
    run.options["create_stages"] = CREATE_STAGE in choices.values()
    run.save(update_fields=["options", "updated_at"])


@dataclass
class Preview:
    table: Table
    mapping: ColumnMapping
    result: ImportResult
    first_rows: list[Row]


def preview_import(run: ImportRun) -> Preview:
    """Check every row as the import would, writing nothing.

    Raise ImportFileError, MappingError or StageMapError when the file or the
    choices no longer fit, for example after a stage was deleted.
    """
    table = open_table(run)
    mapping = column_mapping(run, table)
    result = run_import(table, mapping, import_options(run, dry_run=True))
    return Preview(table, mapping, result, table.first_rows(PREVIEW_ROWS))


def queue_import(run: ImportRun, skip_invalid: bool) -> bool:
    """Mark a draft run as ready to start; return False when it was not a draft any more."""
    run.options["skip_invalid"] = skip_invalid
    queued = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.DRAFT).update(
        status=ImportStatus.QUEUED, options=run.options, updated_at=timezone.now()
    )
    return bool(queued)


def claim_import(run: ImportRun) -> bool:
    """Take a queued run to perform it; only one request, on any server, gets True."""
    now = timezone.now()
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now, updated_at=now, processed_rows=0, phase="checking"
    )
    return bool(claimed)


def restart_import(run: ImportRun) -> None:
    """Queue a run again whose server stopped while it ran; its transaction was rolled back."""
    ImportRun.objects.filter(pk=run.pk, status=ImportStatus.RUNNING).update(
        status=ImportStatus.QUEUED, processed_rows=0, phase="", updated_at=timezone.now()
    )
    logger.info("Import run %s queued again after it stopped", run.pk)


def perform_import(run: ImportRun) -> None:
    """Import the rows of a claimed run, recording progress and then the outcome on the run."""
    logger.info("Import run %s started: %s from %s", run.pk, run.entity, run.file_name)
    recorder = ProgressRecorder(run)
    try:
        table = open_table(run)
        result = run_import(table, column_mapping(run, table), import_options(run), progress=recorder)
    except (ImportFileError, MappingError, StageMapError) as error:
        _fail(run, f"{error}. Nothing was imported; start a new import with a corrected file.")
        return
    except IntegrityError as error:
        logger.warning("Import run %s rejected by the database: %s", run.pk, error)
        _fail(run, "The database rejected the import, so nothing was written. Another change may have "
                   "happened at the same time; import the file again.")
        return
    except Exception:
        # The run must not stay "importing"; the error still reaches the server log and error reports.
        logger.exception("Import run %s failed", run.pk)
        _fail(run, "An unexpected error stopped the import, so nothing was written. Import the file again; "
                   "if it fails again, ask an administrator to look at the server log.")
        raise
    finally:
        recorder.close()

    _record_result(run, table, result)
    logger.info(
        "Import run %s finished: %s, %d created, %d updated, %d unchanged, %d rejected",
        run.pk, run.status, run.created_count, run.updated_count, run.unchanged_count, run.rejected_count,
    )


def _fail(run: ImportRun, message: str) -> None:
    run.status = ImportStatus.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "updated_at"])


def _record_result(run: ImportRun, table: Table, result: ImportResult) -> None:
    run.status = ImportStatus.DONE if result.written else ImportStatus.INVALID
    run.row_count = result.row_count
    run.processed_rows = result.row_count
    run.created_count = result.created
    run.updated_count = result.updated
    run.unchanged_count = result.unchanged
    run.rejected_count = result.rejected
    run.summary = _summary(result)
    run.finished_at = timezone.now()
    if result.errors:
        _save_rejects(run, table, result)
    run.save()


def _summary(result: ImportResult) -> dict:
    return {
        "by_stage_kind": {
            kind: {"count": total.count, "value": str(total.value)} for kind, total in result.by_stage_kind.items()
        },
        "with_parent": result.with_parent,
        "with_manager": result.with_manager,
        "created_accounts": result.created_accounts,
        "created_owners": result.created_owners,
        "created_stages": result.created_stages,
        "error_count": len(result.errors),
        "errors": [
            {"line": error.line, "column": error.column, "message": error.message}
            for error in result.errors[:ERRORS_KEPT]
        ],
    }


def _save_rejects(run: ImportRun, table: Table, result: ImportResult) -> None:
    """Store every rejected row with its reasons; the file can be large, so it is spooled to disk."""
    with tempfile.TemporaryFile(mode="w+b") as spool:
        text = io.TextIOWrapper(spool, encoding=REJECTS_ENCODING, newline="")
        write_rejects(text, table, result)
        text.flush()
        text.detach()
        spool.seek(0)
        run.rejects_file.save(f"{Path(run.file_name).stem}-rejects.csv", File(spool), save=False)
