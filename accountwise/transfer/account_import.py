"""Validate account rows and write them in bulk, parents included."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accountwise.accounts.models import Account, AccountStatus, AccountType
from accountwise.core.permissions import changeable_accounts, is_administrator
from accountwise.customfields.imports import CustomFieldCells
from accountwise.transfer.cells import RowCells, create_owners_used, owner_changed, read_owner
from accountwise.transfer.hierarchy import cycle_through
from accountwise.transfer.mapping import ACCOUNTS, ColumnMapping
from accountwise.transfer.owners import OwnerDirectory
from accountwise.transfer.parsing import InvalidValue, cell_text
from accountwise.transfer.readers import Table
from accountwise.transfer.references import is_reference, unresolved_reference_message
from accountwise.transfer.results import ImportOptions, ImportResult, Progress, RowError, no_progress

BATCH_SIZE = 500
# Rows checked between two progress reports.
PROGRESS_EVERY = 1000
# Plain text fields and their lengths in the Account model.
_TEXT_FIELDS = {"industry": 100, "country": 100, "external_id": 100}
_TYPES = {key: value for value, label in AccountType.choices for key in (value, label.casefold())}
_STATUSES = {key: value for value, label in AccountStatus.choices for key in (value, label.casefold())}


@dataclass(eq=False)
class _AccountDraft:
    line: int
    name: str
    values: dict = field(default_factory=dict)
    # A user, the key of an owner still to create, or None.
    owner: object = None
    parent_text: str = ""
    # The account this row updates; after writing, the account it created.
    account: Account | None = None
    # Another draft, an account in the database, or None.
    parent: object = None
    changed_fields: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return _name_key(self.name)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def import_accounts(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions(), progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then create or update the accounts unless a row is invalid.

    A row updates the account with the same external id when that column is
    mapped and filled, else the account with the same name (any case). Parents
    resolve by name, external id or Salesforce reference against the file and
    the database, once every row is read, so a row may name a parent that
    appears further down. Mapped columns overwrite the account's fields,
    blanks included; unmapped fields keep their values.
    """
    progress = progress or no_progress
    result = ImportResult(ACCOUNTS, 0)
    owners = OwnerDirectory() if "owner" in mapping else None
    accounts = list(Account.all_objects.all())
    existing = [account for account in accounts if account.deleted_at is None]
    deleted = [account for account in accounts if account.deleted_at is not None]
    custom_fields = CustomFieldCells(mapping, InvalidValue)

    drafts = []
    for row in table.rows:
        cells = RowCells(row, mapping, result.errors, restore_formulas=table.format == "CSV")
        drafts.append(_read_row(cells, owners, options))
        custom_fields.read(cells, drafts[-1].values)
        if len(drafts) % PROGRESS_EVERY == 0:
            progress(len(drafts), "checking")
    result.row_count = len(drafts)

    _match_existing(drafts, existing, deleted, mapping, result)
    for draft in drafts:
        custom_fields.merge(draft.values, draft.account)
    if options.acting_user is not None:
        _reject_unchangeable(drafts, options.acting_user, mapping, result)
    if "parent" in mapping:
        _resolve_parents(drafts, existing, mapping, result, options.skip_invalid)

    invalid_lines = set(result.rejected_lines)
    valid = [draft for draft in drafts if draft.line not in invalid_lines]
    _count_changes(valid, mapping, result)
    progress(len(drafts), "checking")
    if options.dry_run or (invalid_lines and not options.skip_invalid):
        return result

    with transaction.atomic():
        _write(valid, mapping, owners, result, options.acting_user)
    progress(len(drafts), "saving")
    result.written = True
    return result


def _read_row(cells: RowCells, owners: OwnerDirectory | None, options: ImportOptions) -> _AccountDraft:
    draft = _AccountDraft(cells.line, cells.text("name", max_length=200, required=True))
    if draft.name:
        draft.values["name"] = draft.name

    for name, max_length in _TEXT_FIELDS.items():
        if name in cells.mapping:
            draft.values[name] = cells.text(name, max_length)
    if "description" in cells.mapping:
        draft.values["description"] = cells.text("description", verbatim=True)
    if "status" in cells.mapping:
        draft.values["status"] = cells.parse("status", _parse_status) or AccountStatus.ACTIVE
    if "website" in cells.mapping:
        draft.values["website"] = cells.parse("website", _parse_website) or ""
    if "type" in cells.mapping:
        draft.values["type"] = cells.parse("type", _parse_account_type) or AccountType.NORMAL
    if "owner" in cells.mapping:
        draft.owner = read_owner(cells, owners, options.create_owners)
    if "parent" in cells.mapping:
        draft.parent_text = _read_parent(cells, options)
    return draft


def _read_parent(cells: RowCells, options: ImportOptions) -> str:
    """Return the parent cell, with a Salesforce reference replaced by the account name it stands for."""
    text = cells.text("parent", max_length=200)
    if not is_reference(text):
        return text
    if options.references is None:
        cells.error("parent", unresolved_reference_message(text))
        return ""
    try:
        return options.references.account_name(text)
    except InvalidValue as problem:
        cells.error("parent", str(problem))
        return ""


def _parse_website(value) -> str:
    text = cell_text(value)
    url = text if "://" in text else f"https://{text}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidValue(f'"{text}" is not a web address; write it as example.com or https://example.com') from None
    if len(url) > 500:
        raise InvalidValue(f"is {len(url)} characters long; the limit is 500")
    return url


def _parse_status(value) -> str:
    text = cell_text(value)
    if text.casefold() not in _STATUSES:
        labels = " or ".join(label for _, label in AccountStatus.choices)
        raise InvalidValue(f'"{text}" is not an account status; use {labels}')
    return _STATUSES[text.casefold()]


def _parse_account_type(value) -> str:
    text = cell_text(value)
    if text.casefold() not in _TYPES:
        labels = " or ".join(label for _, label in AccountType.choices)
        raise InvalidValue(f'"{text}" is not an account type; use {labels}')
    return _TYPES[text.casefold()]


class _DeletedAccounts:
    """The accounts in Deleted items, whose names and external ids the unique constraints still cover."""

    def __init__(self, accounts: list[Account]):
        self.by_name = {_name_key(account.name): account for account in accounts}
        self.by_external_id = {account.external_id: account for account in accounts if account.external_id}


def _match_existing(
    drafts, existing: list[Account], deleted: list[Account], mapping: ColumnMapping, result: ImportResult
) -> None:
    """Find the account each row updates; reject rows that repeat another row or clash with an account."""
    column = mapping.header("name")
    by_name = {_name_key(account.name): account for account in existing}
    by_external_id = {account.external_id: account for account in existing if account.external_id}
    held = _DeletedAccounts(deleted)
    first_lines: dict[tuple, int] = {}

    for draft in drafts:
        if not draft.name:
            continue
        external_id = draft.values.get("external_id", "")
        repeated = _first_line(first_lines, ("name", draft.key), draft.line)
        if external_id:
            repeated = _first_line(first_lines, ("id", external_id), draft.line) or repeated
        if repeated:
            result.errors.append(RowError(draft.line, column, f"line {repeated} already imports this account"))
            continue

        named = by_name.get(draft.key)
        account = by_external_id.get(external_id) if external_id else None
        if account is None and named is not None and external_id and named.external_id not in ("", external_id):
            message = f'an account named "{named.name}" already exists with external id {named.external_id}'
            result.errors.append(RowError(draft.line, column, message))
            continue
        if account is not None and named is not None and named.pk != account.pk:
            result.errors.append(RowError(draft.line, column, f'another account is already named "{named.name}"'))
            continue
        error = _held_by_deleted(draft, account or named, held, mapping)
        if error is not None:
            result.errors.append(error)
            continue
        draft.account = account or named


def _held_by_deleted(
    draft: _AccountDraft, account: Account | None, deleted: _DeletedAccounts, mapping: ColumnMapping
) -> RowError | None:
    """Return the error of a row that gives an account the name or external id of an account in Deleted items."""
    external_id = draft.values.get("external_id", "")
    holder = deleted.by_external_id.get(external_id) if external_id else None
    if holder is not None:
        message = (
            f'the account "{holder.name}" with external id {external_id} is in Deleted items; '
            "restore it, then import this row again"
        )
        return RowError(draft.line, mapping.header("external_id"), message)

    holder = deleted.by_name.get(draft.key)
    if holder is not None and (account is None or _name_key(account.name) != draft.key):
        message = f'an account named "{holder.name}" is in Deleted items; restore it, or choose another name'
        return RowError(draft.line, mapping.header("name"), message)
    return None


def _reject_unchangeable(drafts, user, mapping: ColumnMapping, result: ImportResult) -> None:
    """Reject rows that update an account the importing user may not change; new accounts are allowed."""
    if is_administrator(user):
        return
    changeable = set(changeable_accounts(user).values_list("pk", flat=True))
    for draft in drafts:
        if draft.account is not None and draft.account.pk not in changeable:
            message = (
                f'you may not change the account "{draft.account.name}"; ask its owner or an administrator '
                "to add you to its team"
            )
            result.errors.append(RowError(draft.line, mapping.header("name"), message))


def _first_line(first_lines: dict, key: tuple, line: int) -> int | None:
    if key in first_lines:
        return first_lines[key]
    first_lines[key] = line
    return None


def _resolve_parents(drafts, existing, mapping: ColumnMapping, result: ImportResult, skip_invalid: bool) -> None:
    """Point each row at its parent row or account; reject unknown parents and cycles.

    With skip_invalid, a row whose parent is only on a rejected row is rejected
    too, and so on down the group, until the rows that remain can be written.
    Without it, every row counts as present, so one bad row is reported once.
    """
    while True:
        invalid_lines = set(result.rejected_lines)
        present = [d for d in drafts if d.name and not (skip_invalid and d.line in invalid_lines)]
        pending = [d for d in present if d.parent_text and d.line not in invalid_lines]
        errors = _parent_errors(pending, present, drafts, existing, mapping.header("parent"))
        result.errors.extend(errors)
        if not errors or not skip_invalid:
            return


def _parent_errors(pending, present, drafts, existing, column: str) -> list[RowError]:
    rows_by_name, rows_by_external_id = {}, {}
    for draft in drafts:
        if draft.name:
            rows_by_name.setdefault(draft.key, draft)
        if draft.values.get("external_id"):
            rows_by_external_id.setdefault(draft.values["external_id"], draft)
    present_ids = {id(draft) for draft in present}
    # A database account that a present row updates is represented by that row.
    stands_for = {draft.account.pk: draft for draft in present if draft.account is not None}
    by_name = {_name_key(account.name): account for account in existing}
    by_external_id = {account.external_id: account for account in existing if account.external_id}
    by_pk = {account.pk: account for account in existing}

    errors = []
    for draft in pending:
        text = draft.parent_text
        draft.parent = None
        target = rows_by_name.get(_name_key(text)) or rows_by_external_id.get(text)
        if target is not None and id(target) not in present_ids:
            if target.account is None:
                message = f'the parent account "{text}" is on line {target.line}, which is rejected'
                errors.append(RowError(draft.line, column, message))
                continue
            target = target.account
        target = target or by_name.get(_name_key(text)) or by_external_id.get(text)
        if target is None:
            message = f'no account is named "{text}"; add it to the file or create it first'
            errors.append(RowError(draft.line, column, message))
            continue
        draft.parent = stands_for.get(target.pk, target) if isinstance(target, Account) else target

    for draft in pending:
        cycle = (
            cycle_through(draft, _AccountDraft, "parent", "parent_id", stands_for, by_pk)
            if draft.parent is not None
            else None
        )
        if cycle and len(cycle) == 2:
            errors.append(RowError(draft.line, column, "an account cannot be its own parent"))
        elif cycle:
            path = " → ".join(node.name for node in cycle)
            errors.append(RowError(draft.line, column, f"the parent accounts form a cycle: {path}"))
    return errors


def _count_changes(valid: list[_AccountDraft], mapping: ColumnMapping, result: ImportResult) -> None:
    for draft in valid:
        if draft.parent is not None:
            result.with_parent += 1
        if draft.account is None:
            result.created += 1
            continue
        draft.changed_fields = _changed_fields(draft, mapping)
        if draft.changed_fields:
            result.updated += 1
        else:
            result.unchanged += 1


def _changed_fields(draft: _AccountDraft, mapping: ColumnMapping) -> list[str]:
    account = draft.account
    changed = [name for name, value in draft.values.items() if getattr(account, name) != value]
    if "owner" in mapping and owner_changed(draft.owner, account.owner_id):
        changed.append("owner")
    if "parent" in mapping and (_parent_is_new(draft) or _parent_pk(draft) != account.parent_id):
        changed.append("parent")
    return changed


def _parent_is_new(draft: _AccountDraft) -> bool:
    return isinstance(draft.parent, _AccountDraft) and draft.parent.account is None


def _parent_pk(draft: _AccountDraft) -> int | None:
    parent = draft.parent.account if isinstance(draft.parent, _AccountDraft) else draft.parent
    return parent.pk if parent is not None else None


def _write(valid: list[_AccountDraft], mapping: ColumnMapping, owners, result: ImportResult, acting_user) -> None:
    new_owners = create_owners_used(owners, [draft.owner for draft in valid])
    result.created_owners = [str(user) for user in new_owners.values()]
    now = timezone.now()

    created, updated, update_fields = [], [], {"updated_at"}
    for draft in valid:
        account = draft.account or Account()
        for name, value in draft.values.items():
            setattr(account, name, value)
        if "owner" in mapping:
            account.owner = new_owners.get(draft.owner, draft.owner) if draft.owner else None
        if draft.account is None and account.owner is None:
            # As when a member creates an account in the browser, the new account is theirs.
            account.owner = acting_user

        if draft.account is None:
            created.append(account)
        elif draft.changed_fields:
            account.updated_at = now
            updated.append(account)
            update_fields.update(name for name in draft.changed_fields if name != "parent")
        draft.account = account

    bulk_create_with_history(created, Account, batch_size=BATCH_SIZE, default_user=acting_user)
    bulk_update_with_history(updated, Account, sorted(update_fields), batch_size=BATCH_SIZE, default_user=acting_user)
    if "parent" in mapping:
        _write_parents(valid, acting_user)


def _write_parents(valid: list[_AccountDraft], acting_user) -> None:
    """Set parents once every account in the file has a primary key."""
    moved = []
    for draft in valid:
        parent_pk = _parent_pk(draft)
        if draft.account.parent_id != parent_pk:
            draft.account.parent_id = parent_pk
            moved.append(draft.account)
    bulk_update_with_history(moved, Account, ["parent"], batch_size=BATCH_SIZE, default_user=acting_user)
