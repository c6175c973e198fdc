"""Import records that belong to an account (contracts, opportunities) in batches, inside one transaction.

Each batch of rows is validated, matched to the records it updates, and
written at once while every row so far is valid, so memory use does not grow
with the file. When a row is invalid and invalid rows are not skipped, later
batches are only validated and the transaction is rolled back at the end:
nothing is written, and every error is still reported.
"""

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accountwise.accounts.models import Account
from accountwise.customfields.imports import CustomFieldCells
from accountwise.transfer.account_lookup import AccountResolver, name_key
from accountwise.transfer.cells import RowCells, create_owners_used, owner_changed
from accountwise.transfer.mapping import ColumnMapping
from accountwise.transfer.owners import OwnerDirectory
from accountwise.transfer.parsing import InvalidValue
from accountwise.transfer.readers import Table
from accountwise.transfer.results import ImportOptions, ImportResult, Progress, RowError, no_progress

BATCH_SIZE = 1000
# Largest number of values in one IN (...) lookup, well below SQLite's limit of 32,766 parameters.
LOOKUP_CHUNK = 2000


@dataclass(eq=False)
class RecordDraft:
    line: int
    # Field values read from the row, by model field name.
    values: dict = field(default_factory=dict)
    # An account, or the name key of an account still to create.
    account: Account | str | None = None
    # A user, the key of an owner still to create, or None.
    owner: object = None
    # The record this row updates, if any.
    record: models.Model | None = None
    changed_fields: list[str] = field(default_factory=list)

    @property
    def account_key(self) -> object:
        return self.account.pk if isinstance(self.account, Account) else f"new:{self.account}"


class RecordImport:
    """The batch loop shared by the importers of contracts and opportunities.

    A subclass reads a row into a RecordDraft, and may check drafts once they
    are matched, tally them, and add foreign keys to the fields that are saved.
    """

    model: type[models.Model]

    def __init__(self, table: Table, mapping: ColumnMapping, options: ImportOptions, progress: Progress | None):
        self.table = table
        self.mapping = mapping
        self.options = options
        self.progress = progress or no_progress
        self.result = ImportResult(mapping.entity, 0)
        self.accounts = AccountResolver(options)
        self.owners = OwnerDirectory() if "owner" in mapping else None
        self.index = _ExistingIndex(self.model)
        # The first line of each record key seen, so that a repeated row is reported.
        self._first_lines: dict[tuple, int] = {}
        # The line that updates each existing record, by primary key.
        self._matched_lines: dict[int, int] = {}
        self._new_accounts: dict[str, Account] = {}
        self._new_owners: dict[str, object] = {}
        self.custom_fields = CustomFieldCells(mapping, InvalidValue)

    def run(self) -> ImportResult:
        writing = not self.options.dry_run
        done = 0
        with transaction.atomic() if writing else nullcontext():
            for rows in _batched(self.table.iter_rows(), BATCH_SIZE):
                self._import_batch(rows, writing and self._may_write())
                done += len(rows)
                self.progress(done, "importing" if writing else "checking")

            self.result.row_count = done
            self.result.written = writing and self._may_write()
            if writing and not self.result.written:
                transaction.set_rollback(True)
        if not self.result.written:
            self.result.created_accounts, self.result.created_owners, self.result.created_stages = [], [], []
        return self.result

    # Hooks for subclasses.

    def read_row(self, cells: RowCells) -> RecordDraft:
        raise NotImplementedError

    def check(self, drafts: list[RecordDraft]) -> None:
        """Record errors that need the matched record, such as a date before a stored one."""

    def tally(self, draft: RecordDraft) -> None:
        """Count a valid row in the result's totals."""

    def changed_fields(self, draft: RecordDraft) -> list[str]:
        record = draft.record
        changed = [name for name, value in draft.values.items() if getattr(record, name) != value]
        if not isinstance(draft.account, Account) or draft.account.pk != record.account_id:
            changed.append("account")
        if "owner" in self.mapping and owner_changed(draft.owner, record.owner_id):
            changed.append("owner")
        return changed

    def prepare_write(self, valid: list[RecordDraft]) -> None:
        """Create what the valid rows of a batch need before they are saved, such as new stages."""

    def after_write(self, created: list, updated: list) -> None:
        """Record what the saved rows of a batch imply beside their history, such as stage changes."""

    def links(self, draft: RecordDraft) -> dict:
        """Return the foreign keys beside account and owner, such as stage_id, by field attribute name."""
        return {}

    # The batch loop.

    def _may_write(self) -> bool:
        return self.options.skip_invalid or not self.result.errors

    def _import_batch(self, rows, writing: bool) -> None:
        errors_before = len(self.result.errors)
        restore_formulas = self.table.format == "CSV"
        drafts = [self._read_row(RowCells(row, self.mapping, self.result.errors, restore_formulas)) for row in rows]
        self._match_existing(drafts)
        for draft in drafts:
            self.custom_fields.merge(draft.values, draft.record)
        self.check(drafts)

        invalid_lines = {error.line for error in self.result.errors[errors_before:]}
        valid = [draft for draft in drafts if draft.line not in invalid_lines]
        self._count(valid)
        if writing and self._may_write():
            self._write(valid)

    def _read_row(self, cells: RowCells) -> RecordDraft:
        draft = self.read_row(cells)
        self.custom_fields.read(cells, draft.values)
        return draft

    def _match_existing(self, drafts: list[RecordDraft]) -> None:
        """Find the record each row updates; reject rows that repeat another row or are ambiguous."""
        complete = [draft for draft in drafts if draft.account is not None and draft.values.get("name")]
        unique = [draft for draft in complete if not self._is_repeated(draft)]
        by_external_id, deleted_names = self.index.by_external_id(
            [draft.values["external_id"] for draft in unique if draft.values.get("external_id")]
        )
        self.index.load_accounts(
            [draft.account.pk for draft in unique if isinstance(draft.account, Account) and not draft.values.get("external_id")]
        )

        matches: dict[RecordDraft, int] = {}
        for draft in unique:
            external_id = draft.values.get("external_id")
            if external_id in deleted_names:
                self._reject_deleted_external_id(draft, deleted_names[external_id])
                continue
            pk = by_external_id.get(external_id) if external_id else self._single_by_name(draft)
            if pk is None:
                continue
            first = self._matched_lines.setdefault(pk, draft.line)
            if first != draft.line:
                message = f"updates the same {self.model._meta.verbose_name} as line {first}"
                self.result.errors.append(RowError(draft.line, self.mapping.header("name"), message))
                continue
            matches[draft] = pk

        records = self.model.objects.in_bulk(list(matches.values()))
        for draft, pk in matches.items():
            record = records[pk]
            if self.accounts.may_change(record.account_id):
                draft.record = record
            else:
                name = self.model._meta.verbose_name
                message = f"you may not change this {name}, which belongs to an account you are not on the team of"
                self.result.errors.append(RowError(draft.line, self.mapping.header("name"), message))

    def _reject_deleted_external_id(self, draft: RecordDraft, name: str) -> None:
        # The unique constraint on external ids covers deleted rows, so a new record could not take it.
        message = (
            f'the {self.model._meta.verbose_name} "{name}" with external id {draft.values["external_id"]} '
            "is in Deleted items; restore it, then import this row again"
        )
        self.result.errors.append(RowError(draft.line, self.mapping.header("external_id"), message))

    def _is_repeated(self, draft: RecordDraft) -> bool:
        external_id = draft.values.get("external_id")
        key = ("id", external_id) if external_id else ("name", draft.account_key, name_key(draft.values["name"]))
        first = self._first_lines.setdefault(key, draft.line)
        if first == draft.line:
            return False
        if external_id:
            repeated, column = "external id", self.mapping.header("external_id")
        else:
            repeated, column = f"{self.model._meta.verbose_name} name at the same account", self.mapping.header("name")
        self.result.errors.append(RowError(draft.line, column, f"line {first} has the same {repeated}"))
        return True

    def _single_by_name(self, draft: RecordDraft) -> int | None:
        if not isinstance(draft.account, Account):
            return None
        candidates = self.index.by_name(draft.account.pk, name_key(draft.values["name"]))
        if len(candidates) > 1:
            plural = self.model._meta.verbose_name_plural
            message = (
                f'{len(candidates)} {plural} at {draft.account.name} are named "{draft.values["name"]}"; '
                "add an external id column to tell them apart"
            )
            self.result.errors.append(RowError(draft.line, self.mapping.header("name"), message))
            return None
        return candidates[0] if candidates else None

    def _count(self, valid: list[RecordDraft]) -> None:
        for draft in valid:
            self.tally(draft)
            if draft.record is None:
                self.result.created += 1
                continue
            draft.changed_fields = self.changed_fields(draft)
            if draft.changed_fields:
                self.result.updated += 1
            else:
                self.result.unchanged += 1

    def _write(self, valid: list[RecordDraft]) -> None:
        self._create_accounts_used(valid)
        self._create_owners_used(valid)
        self.prepare_write(valid)
        now = timezone.now()

        created, updated, update_fields = [], [], {"updated_at"}
        for draft in valid:
            if draft.record is not None and not draft.changed_fields:
                continue
            # Foreign keys are set by id: assigning related objects costs more, on every row.
            fields = {**draft.values, "account_id": self._account_of(draft).pk, **self.links(draft)}
            if "owner" in self.mapping:
                owner = self._new_owners.get(draft.owner, draft.owner) if draft.owner else None
                fields["owner_id"] = owner.pk if owner is not None else None

            if draft.record is None:
                created.append(self.model(**fields))
                continue
            record = draft.record
            for name, value in fields.items():
                setattr(record, name, value)
            record.updated_at = now
            updated.append(record)
            update_fields.update(draft.changed_fields)

        # The *_with_history helpers write the history rows in bulk too, which plain bulk writes skip.
        user = self.options.acting_user
        bulk_create_with_history(created, self.model, batch_size=BATCH_SIZE, default_user=user)
        if updated:
            bulk_update_with_history(
                updated, self.model, sorted(update_fields), batch_size=BATCH_SIZE, default_user=user
            )
        self.after_write(created, updated)

    def _account_of(self, draft: RecordDraft) -> Account:
        return self._new_accounts[draft.account] if isinstance(draft.account, str) else draft.account

    def _create_accounts_used(self, valid: list[RecordDraft]) -> None:
        keys = list(dict.fromkeys(
            draft.account for draft in valid
            if isinstance(draft.account, str) and draft.account not in self._new_accounts
        ))
        if keys:
            created = self.accounts.create_pending(keys)
            self._new_accounts.update(created)
            self.result.created_accounts.extend(account.name for account in created.values())

    def _create_owners_used(self, valid: list[RecordDraft]) -> None:
        keys = [draft.owner for draft in valid if isinstance(draft.owner, str) and draft.owner not in self._new_owners]
        created = create_owners_used(self.owners, keys)
        self._new_owners.update(created)
        self.result.created_owners.extend(str(user) for user in created.values())


class _ExistingIndex:
    """The records of a model that rows could update, found with a few queries per batch.

    Names are loaded per account, once, and kept for the rest of the import.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        self._names: dict[tuple, list[int]] = {}
        self._loaded_accounts: set[int] = set()

    def by_external_id(self, external_ids: list[str]) -> tuple[dict[str, int], dict[str, str]]:
        """Return the primary keys of the live records and the names of the deleted ones, by external id."""
        live, deleted = {}, {}
        for chunk in _chunks(sorted(set(external_ids))):
            rows = self.model.all_objects.filter(external_id__in=chunk).values_list("external_id", "pk", "name", "deleted_at")
            for external_id, pk, name, deleted_at in rows:
                if deleted_at is None:
                    live[external_id] = pk
                else:
                    deleted[external_id] = name
        return live, deleted

    def load_accounts(self, account_ids: list[int]) -> None:
        new_ids = sorted(set(account_ids) - self._loaded_accounts)
        for chunk in _chunks(new_ids):
            names = self.model.objects.filter(account_id__in=chunk).order_by("pk").values_list("pk", "account_id", "name")
            for pk, account_id, name in names:
                self._names.setdefault((account_id, name_key(name)), []).append(pk)
        self._loaded_accounts.update(new_ids)

    def by_name(self, account_id: int, key: str) -> list[int]:
        return self._names.get((account_id, key), [])


def _batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _chunks(values: list) -> list[list]:
    return [values[start:start + LOOKUP_CHUNK] for start in range(0, len(values), LOOKUP_CHUNK)]
