"""Validate contact rows and write them in bulk, with whom each contact reports to."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accountwise.accounts.models import Account, Contact, ContactRole
from accountwise.customfields.imports import CustomFieldCells
from accountwise.transfer.account_lookup import AccountResolver, name_key
from accountwise.transfer.cells import RowCells
from accountwise.transfer.hierarchy import cycle_through
from accountwise.transfer.mapping import CONTACTS, ColumnMapping
from accountwise.transfer.parsing import InvalidValue, cell_text
from accountwise.transfer.readers import Table
from accountwise.transfer.results import ImportOptions, ImportResult, Progress, RowError, no_progress

BATCH_SIZE = 500
# Rows checked between two progress reports.
PROGRESS_EVERY = 1000
# Largest number of values in one IN (...) lookup, well below SQLite's limit of 32,766 parameters.
_LOOKUP_CHUNK = 2000
_TEXT_FIELDS = {"job_title": 200, "phone": 50, "external_id": 100}
_ROLES = {key: value for value, label in ContactRole.choices for key in (value, label.casefold())}
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}


@dataclass(eq=False)
class _ContactDraft:
    line: int
    values: dict = field(default_factory=dict)
    # An account, or the name key of an account still to create.
    account: Account | str | None = None
    manager_text: str = ""
    # The contact this row updates; after writing, the contact it created.
    contact: Contact | None = None
    # Another draft, a contact in the database, or None.
    manager: object = None
    changed_fields: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()

    @property
    def account_key(self) -> object:
        return self.account.pk if isinstance(self.account, Account) else f"new:{self.account}"


def split_full_name(text: str) -> tuple[str, str]:
    """Split "Ada King Lovelace" into ("Ada King", "Lovelace"), and "Lovelace, Ada" into ("Ada", "Lovelace")."""
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    first, _, last = " ".join(text.split()).rpartition(" ")
    return first, last


def import_contacts(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions(), progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then create or update the contacts unless a row is invalid.

    A row updates the contact with the same external id, else the contact with
    the same e-mail address at the same account, else the one with the same
    full name there. The manager in a "reports to" column is a contact of the
    same account, named as in the file or the database.
    """
    progress = progress or no_progress
    result = ImportResult(CONTACTS, 0)
    accounts = AccountResolver(options)
    custom_fields = CustomFieldCells(mapping, InvalidValue)

    drafts = []
    for row in table.rows:
        cells = RowCells(row, mapping, result.errors, restore_formulas=table.format == "CSV")
        drafts.append(_read_row(cells, accounts))
        custom_fields.read(cells, drafts[-1].values)
        if len(drafts) % PROGRESS_EVERY == 0:
            progress(len(drafts), "checking")
    result.row_count = len(drafts)

    existing = _ExistingContacts(drafts)
    _match_existing(drafts, existing, mapping, result, accounts)
    for draft in drafts:
        custom_fields.merge(draft.values, draft.contact)
    if "reports_to" in mapping:
        _resolve_managers(drafts, existing, mapping, result, options.skip_invalid)

    invalid_lines = set(result.rejected_lines)
    valid = [draft for draft in drafts if draft.line not in invalid_lines]
    _count_changes(valid, mapping, result)
    progress(len(drafts), "checking")
    if options.dry_run or (invalid_lines and not options.skip_invalid):
        return result

    with transaction.atomic():
        _write(valid, mapping, accounts, result, options.acting_user)
    progress(len(drafts), "saving")
    result.written = True
    return result


def _read_row(cells: RowCells, accounts: AccountResolver) -> _ContactDraft:
    draft = _ContactDraft(cells.line)
    _read_name(cells, draft)
    draft.account = accounts.read(cells)

    for name, max_length in _TEXT_FIELDS.items():
        if name in cells.mapping:
            draft.values[name] = cells.text(name, max_length)
    if "email" in cells.mapping:
        draft.values["email"] = cells.parse("email", _parse_email) or ""
    if "key_player" in cells.mapping:
        draft.values["is_key_player"] = bool(cells.parse("key_player", _parse_yes_no))
    if "role" in cells.mapping:
        draft.values["role"] = cells.parse("role", _parse_role) or ""
    if "reports_to" in cells.mapping:
        draft.manager_text = cells.text("reports_to", max_length=200)
    return draft


def _read_name(cells: RowCells, draft: _ContactDraft) -> None:
    """Read first and last name from their columns, or else split the full name."""
    first = cells.text("first_name", max_length=100) if "first_name" in cells.mapping else ""
    last = cells.text("last_name", max_length=100) if "last_name" in cells.mapping else ""
    if not last and "full_name" in cells.mapping:
        full = cells.text("full_name", max_length=201, required="last_name" not in cells.mapping)
        if full:
            first, last = split_full_name(full)
            if len(first) > 100 or len(last) > 100:
                cells.error("full_name", "has a first or last name longer than 100 characters")
                return
    if not last and "last_name" in cells.mapping:
        cells.error("last_name", "the last name is missing")
    if last:
        draft.values["first_name"], draft.values["last_name"] = first, last


def _parse_email(value) -> str:
    text = cell_text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise InvalidValue(f'"{text}" is not an e-mail address; write it as name@example.com') from None
    return text


def _parse_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidValue(f'"{cell_text(value)}" is not yes or no')


def _parse_role(value) -> str:
    text = cell_text(value)
    if text.casefold() not in _ROLES:
        labels = ", ".join(label for _, label in ContactRole.choices)
        raise InvalidValue(f'"{text}" is not a contact role; use one of {labels}')
    return _ROLES[text.casefold()]


class _ExistingContacts:
    """The contacts that rows could update or report to: those of the accounts in the file, and those by external id."""

    def __init__(self, drafts: list[_ContactDraft]):
        account_ids = sorted({d.account.pk for d in drafts if isinstance(d.account, Account)})
        external_ids = sorted({d.values["external_id"] for d in drafts if d.values.get("external_id")})
        contacts: dict[int, Contact] = {}
        for chunk in _chunks(account_ids):
            contacts.update((c.pk, c) for c in _contacts().filter(account_id__in=chunk))
        for chunk in _chunks(external_ids):
            contacts.update((c.pk, c) for c in _contacts().filter(external_id__in=chunk))

        self.by_pk = contacts
        self.by_external_id: dict[str, list[Contact]] = {}
        self.by_email: dict[tuple, list[Contact]] = {}
        self.by_name: dict[tuple, list[Contact]] = {}
        for contact in contacts.values():
            if contact.external_id:
                self.by_external_id.setdefault(contact.external_id, []).append(contact)
            if contact.email:
                self.by_email.setdefault((contact.account_id, contact.email.casefold()), []).append(contact)
            self.by_name.setdefault((contact.account_id, name_key(contact.full_name)), []).append(contact)


def _contacts():
    # With their accounts, so a matched contact whose account is in Deleted items costs no extra query.
    return Contact.objects.select_related("account").order_by("pk")


def _chunks(values: list) -> list[list]:
    return [values[start:start + _LOOKUP_CHUNK] for start in range(0, len(values), _LOOKUP_CHUNK)]


def _match_key(draft: _ContactDraft) -> tuple[str, tuple]:
    """Return how a row finds its contact: by external id, e-mail address or full name."""
    if draft.values.get("external_id"):
        return "external id", ("id", draft.values["external_id"])
    if draft.values.get("email"):
        return "e-mail address", ("email", draft.account_key, draft.values["email"].casefold())
    return "name", ("name", draft.account_key, name_key(draft.full_name))


def _match_existing(drafts, existing: _ExistingContacts, mapping: ColumnMapping, result: ImportResult, accounts) -> None:
    """Find the contact each row updates; reject rows that repeat another row or are ambiguous."""
    first_lines: dict[tuple, int] = {}
    matched_lines: dict[int, int] = {}
    column = mapping.header("last_name" if "last_name" in mapping else "full_name")

    for draft in drafts:
        if draft.account is None or "last_name" not in draft.values:
            continue
        match_by, key = _match_key(draft)
        first = first_lines.setdefault(key, draft.line)
        if first != draft.line:
            result.errors.append(RowError(draft.line, column, f"line {first} has the same contact ({match_by})"))
            continue

        candidates = _candidates(draft, key, existing)
        if len(candidates) > 1:
            message = f"{len(candidates)} contacts have the same {match_by}; add an external id column to tell them apart"
            result.errors.append(RowError(draft.line, column, message))
            continue
        if not candidates:
            continue

        contact = candidates[0]
        first = matched_lines.setdefault(contact.pk, draft.line)
        if first != draft.line:
            result.errors.append(RowError(draft.line, column, f"updates the same contact as line {first}"))
        elif contact.account.deleted_at is not None:
            message = (
                f'the contact {contact.full_name} belongs to the account "{contact.account.name}", which is in '
                "Deleted items; restore that account, then import this row again"
            )
            result.errors.append(RowError(draft.line, column, message))
        elif not accounts.may_change(contact.account_id):
            message = f"you may not change the contact {contact.full_name}; ask the owner of their account"
            result.errors.append(RowError(draft.line, column, message))
        else:
            draft.contact = contact


def _candidates(draft: _ContactDraft, key: tuple, existing: _ExistingContacts) -> list[Contact]:
    kind = key[0]
    if kind == "id":
        return existing.by_external_id.get(key[1], [])
    if not isinstance(draft.account, Account):
        return []
    if kind == "email":
        return existing.by_email.get((draft.account.pk, key[2]), [])
    return existing.by_name.get((draft.account.pk, key[2]), [])


def _resolve_managers(drafts, existing: _ExistingContacts, mapping: ColumnMapping, result: ImportResult, skip_invalid: bool) -> None:
    """Point each row at the contact it reports to; reject unknown, ambiguous and circular managers.

    With skip_invalid, a row whose manager is only on a rejected row is
    rejected too, until the rows that remain can be written.
    """
    column = mapping.header("reports_to")
    while True:
        invalid_lines = set(result.rejected_lines)
        present = [d for d in drafts if d.account is not None and not (skip_invalid and d.line in invalid_lines)]
        pending = [d for d in present if d.manager_text and d.line not in invalid_lines]
        errors = _manager_errors(pending, present, drafts, existing, column)
        result.errors.extend(errors)
        if not errors or not skip_invalid:
            return


def _manager_errors(pending, present, drafts, existing: _ExistingContacts, column: str) -> list[RowError]:
    rows_by_name: dict[tuple, list[_ContactDraft]] = {}
    for draft in drafts:
        if draft.account is not None and "last_name" in draft.values:
            rows_by_name.setdefault((draft.account_key, name_key(draft.full_name)), []).append(draft)
    present_ids = {id(draft) for draft in present}
    # A database contact that a present row updates is represented by that row.
    stands_for = {draft.contact.pk: draft for draft in present if draft.contact is not None}

    errors = []
    for draft in pending:
        draft.manager = None
        key = (draft.account_key, name_key(draft.manager_text))
        rows = rows_by_name.get(key, [])
        stored = existing.by_name.get(key, []) if isinstance(draft.account, Account) else []
        stored = [contact for contact in stored if contact.pk not in stands_for]
        if len(rows) + len(stored) > 1:
            message = f'several contacts at this account are named "{draft.manager_text}"; make the names unique'
            errors.append(RowError(draft.line, column, message))
            continue
        if rows and id(rows[0]) not in present_ids:
            message = f'the contact "{draft.manager_text}" is on line {rows[0].line}, which is rejected'
            errors.append(RowError(draft.line, column, message))
            continue
        if rows:
            target = rows[0]
        elif stored:
            target = stored[0]
        else:
            message = f'no contact at this account is named "{draft.manager_text}"; add them to the file or create them first'
            errors.append(RowError(draft.line, column, message))
            continue
        draft.manager = target

    for draft in pending:
        cycle = (
            cycle_through(draft, _ContactDraft, "manager", "reports_to_id", stands_for, existing.by_pk)
            if draft.manager is not None
            else None
        )
        if cycle and len(cycle) == 2:
            errors.append(RowError(draft.line, column, "a contact cannot report to themselves"))
        elif cycle:
            path = " → ".join(node.full_name for node in cycle)
            errors.append(RowError(draft.line, column, f"the contacts would report to each other in a loop: {path}"))
    return errors


def _count_changes(valid: list[_ContactDraft], mapping: ColumnMapping, result: ImportResult) -> None:
    for draft in valid:
        if draft.manager is not None:
            result.with_manager += 1
        if draft.contact is None:
            result.created += 1
            continue
        draft.changed_fields = _changed_fields(draft, mapping)
        if draft.changed_fields:
            result.updated += 1
        else:
            result.unchanged += 1


def _changed_fields(draft: _ContactDraft, mapping: ColumnMapping) -> list[str]:
    contact = draft.contact
    changed = [name for name, value in draft.values.items() if getattr(contact, name) != value]
    if not isinstance(draft.account, Account) or draft.account.pk != contact.account_id:
        changed.append("account")
    if "reports_to" in mapping and (_manager_is_new(draft) or _manager_pk(draft) != contact.reports_to_id):
        changed.append("reports_to")
    return changed


def _manager_is_new(draft: _ContactDraft) -> bool:
    return isinstance(draft.manager, _ContactDraft) and draft.manager.contact is None


def _manager_pk(draft: _ContactDraft) -> int | None:
    manager = draft.manager.contact if isinstance(draft.manager, _ContactDraft) else draft.manager
    return manager.pk if manager is not None else None


def _write(
    valid: list[_ContactDraft], mapping: ColumnMapping, accounts: AccountResolver, result: ImportResult, acting_user
) -> None:
    keys = list(dict.fromkeys(draft.account for draft in valid if isinstance(draft.account, str)))
    new_accounts = accounts.create_pending(keys) if keys else {}
    result.created_accounts = [account.name for account in new_accounts.values()]
    now = timezone.now()

    created, updated, update_fields = [], [], {"updated_at"}
    for draft in valid:
        contact = draft.contact or Contact()
        for name, value in draft.values.items():
            setattr(contact, name, value)
        contact.account = new_accounts[draft.account] if isinstance(draft.account, str) else draft.account

        if draft.contact is None:
            created.append(contact)
        elif draft.changed_fields:
            contact.updated_at = now
            updated.append(contact)
            update_fields.update(name for name in draft.changed_fields if name != "reports_to")
        draft.contact = contact

    bulk_create_with_history(created, Contact, batch_size=BATCH_SIZE, default_user=acting_user)
    bulk_update_with_history(updated, Contact, sorted(update_fields), batch_size=BATCH_SIZE, default_user=acting_user)
    if "reports_to" in mapping:
        _write_managers(valid, acting_user)


def _write_managers(valid: list[_ContactDraft], acting_user) -> None:
    """Set managers once every contact in the file has a primary key."""
    moved = []
    for draft in valid:
        manager_pk = _manager_pk(draft)
        if draft.contact.reports_to_id != manager_pk:
            draft.contact.reports_to_id = manager_pk
            moved.append(draft.contact)
    bulk_update_with_history(moved, Contact, ["reports_to"], batch_size=BATCH_SIZE, default_user=acting_user)
