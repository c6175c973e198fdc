"""Validate opportunity rows and write them in bulk."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accountwise.accounts.models import Account
from accountwise.opportunities.models import Opportunity, Stage, StageKind
from accountwise.transfer.cells import RowCells, create_owners_used, owner_changed, read_owner
from accountwise.transfer.mapping import OPPORTUNITIES, ColumnMapping
from accountwise.transfer.owners import OwnerDirectory
from accountwise.transfer.parsing import parse_date, parse_money
from accountwise.transfer.readers import Table
from accountwise.transfer.results import ImportOptions, ImportResult, RowError, StageTotal
from accountwise.transfer.stages import StageResolver

BATCH_SIZE = 1000
# Largest number of values in one IN (...) lookup, well below SQLite's limit of 32,766 parameters.
_LOOKUP_CHUNK = 2000
_OPTIONAL_TEXT_FIELDS = {"description": None, "external_id": 100}


@dataclass(eq=False)
class _OpportunityDraft:
    line: int
    values: dict = field(default_factory=dict)
    account: Account | None = None
    # A stage, or the name key of an open stage still to create.
    stage: Stage | str | None = None
    # A user, the key of an owner still to create, or None.
    owner: object = None
    # The opportunity this row updates; after writing, the one it created.
    opportunity: Opportunity | None = None
    changed_fields: list[str] = field(default_factory=list)

    @property
    def name_key(self) -> tuple:
        return (self.account.pk, _name_key(self.values["name"]))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def import_opportunities(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions()
) -> ImportResult:
    """Validate every row, then create or update the opportunities unless a row is invalid.

    A row with an external id updates the opportunity with that id. A row
    without one updates the opportunity of the same name (any case) at the
    same account. Accounts must already exist, and rows name them by name
    (any case) or external id. Raise StageMapError when options.stage_map
    names a stage that does not exist.
    """
    result = ImportResult(OPPORTUNITIES, len(table.rows))
    stages = StageResolver(options.stage_map)
    owners = OwnerDirectory() if "owner" in mapping else None
    accounts = _AccountLookup()

    unknown_stages: dict[str, tuple[str, list[int]]] = {}
    drafts = []
    for row in table.rows:
        cells = RowCells(row, mapping, result.errors)
        drafts.append(_read_row(cells, accounts, stages, owners, options, unknown_stages))
    result.unknown_stages = {spelling: lines for spelling, lines in unknown_stages.values()}

    _match_existing(drafts, mapping, result)
    _reject_retired_stages(drafts, mapping, result)
    invalid_lines = set(result.rejected_lines)
    valid = [draft for draft in drafts if draft.line not in invalid_lines]
    _count_changes(valid, mapping, result)
    if options.dry_run or (invalid_lines and not options.skip_invalid):
        return result

    with transaction.atomic():
        _write(valid, mapping, stages, owners, result)
    result.written = True
    return result


class _AccountLookup:
    """Accounts by name (any case) and external id, loaded in one query."""

    def __init__(self):
        self._by_name: dict[str, Account] = {}
        self._by_external_id: dict[str, Account] = {}
        for account in Account.objects.only("pk", "name", "external_id"):
            self._by_name.setdefault(_name_key(account.name), account)
            if account.external_id:
                self._by_external_id[account.external_id] = account

    def find(self, text: str) -> Account | None:
        return self._by_name.get(_name_key(text)) or self._by_external_id.get(text)


def _read_row(cells: RowCells, accounts, stages, owners, options: ImportOptions, unknown_stages) -> _OpportunityDraft:
    draft = _OpportunityDraft(cells.line)
    draft.values["name"] = cells.text("name", max_length=200, required=True)

    account_text = cells.text("account", max_length=200, required=True)
    if account_text:
        draft.account = accounts.find(account_text)
        if draft.account is None:
            cells.error("account", f'no account is named "{account_text}"; import or create the account first')

    draft.stage = _read_stage(cells, stages, options.create_stages, unknown_stages)
    draft.values["value"] = cells.parse("value", parse_money, required=True)
    draft.values["close_date"] = cells.parse(
        "close_date", lambda value: parse_date(value, options.date_format), required=True
    )
    for name, max_length in _OPTIONAL_TEXT_FIELDS.items():
        if name in cells.mapping:
            draft.values[name] = cells.text(name, max_length)
    if "owner" in cells.mapping:
        draft.owner = read_owner(cells, owners, options.create_owners)
    return draft


def _read_stage(cells: RowCells, stages: StageResolver, create_stages: bool, unknown_stages: dict):
    text = cells.text("stage", max_length=100, required=True)
    if not text:
        return None

    stage = stages.find(text)
    if stage is not None:
        return stage
    if create_stages:
        return stages.add_pending(text)

    spelling, lines = unknown_stages.setdefault(_name_key(text), (" ".join(text.split()), []))
    lines.append(cells.line)
    cells.error("stage", f'"{text}" is not a stage; map it to an existing stage or create it')
    return None


def _match_existing(drafts: list[_OpportunityDraft], mapping: ColumnMapping, result: ImportResult) -> None:
    """Find the opportunity each row updates; reject rows that repeat another row or are ambiguous."""
    complete = [draft for draft in drafts if draft.account is not None and draft.values["name"]]
    by_external_id, by_name = _existing_opportunities(complete)
    first_lines: dict[tuple, int] = {}
    matched_lines: dict[int, int] = {}

    for draft in complete:
        external_id = draft.values.get("external_id", "")
        key = ("id", external_id) if external_id else ("name", draft.name_key)
        if key in first_lines:
            repeated = "external id" if external_id else "opportunity name at the same account"
            column = mapping.header("external_id" if external_id else "name")
            result.errors.append(RowError(draft.line, column, f"line {first_lines[key]} has the same {repeated}"))
            continue
        first_lines[key] = draft.line

        if external_id:
            draft.opportunity = by_external_id.get(external_id)
        else:
            draft.opportunity = _single_by_name(draft, by_name, mapping, result)
        if draft.opportunity is not None:
            first = matched_lines.setdefault(draft.opportunity.pk, draft.line)
            if first != draft.line:
                message = f"updates the same opportunity as line {first}"
                result.errors.append(RowError(draft.line, mapping.header("name"), message))


def _reject_retired_stages(drafts: list[_OpportunityDraft], mapping: ColumnMapping, result: ImportResult) -> None:
    """Reject rows that move an opportunity to a retired stage; one already there may stay."""
    for draft in drafts:
        stage = draft.stage
        if not isinstance(stage, Stage) or not stage.is_retired:
            continue
        if draft.opportunity is None or draft.opportunity.stage_id != stage.pk:
            message = f'the stage "{stage.name}" is retired; map it to a stage in use'
            result.errors.append(RowError(draft.line, mapping.header("stage"), message))


def _single_by_name(draft, by_name: dict, mapping: ColumnMapping, result: ImportResult) -> Opportunity | None:
    candidates = by_name.get(draft.name_key, [])
    if len(candidates) > 1:
        message = (
            f'{len(candidates)} opportunities at {draft.account.name} are named "{draft.values["name"]}"; '
            "add an external id column to tell them apart"
        )
        result.errors.append(RowError(draft.line, mapping.header("name"), message))
        return None
    return candidates[0] if candidates else None


def _existing_opportunities(drafts: list[_OpportunityDraft]) -> tuple[dict, dict]:
    """Load, in a few queries, the opportunities that rows could update."""
    external_ids = sorted({d.values["external_id"] for d in drafts if d.values.get("external_id")})
    account_ids = sorted({d.account.pk for d in drafts if not d.values.get("external_id")})

    by_external_id = {}
    for chunk in _chunks(external_ids):
        for opportunity in Opportunity.objects.filter(external_id__in=chunk):
            by_external_id[opportunity.external_id] = opportunity

    by_name: dict[tuple, list[Opportunity]] = {}
    for chunk in _chunks(account_ids):
        for opportunity in Opportunity.objects.filter(account_id__in=chunk).order_by("pk"):
            by_name.setdefault((opportunity.account_id, _name_key(opportunity.name)), []).append(opportunity)
    return by_external_id, by_name


def _chunks(values: list) -> list[list]:
    return [values[start:start + _LOOKUP_CHUNK] for start in range(0, len(values), _LOOKUP_CHUNK)]


def _count_changes(valid: list[_OpportunityDraft], mapping: ColumnMapping, result: ImportResult) -> None:
    for draft in valid:
        kind = draft.stage.kind if isinstance(draft.stage, Stage) else StageKind.OPEN
        total = result.by_stage_kind.setdefault(kind, StageTotal())
        total.count += 1
        total.value += draft.values["value"]

        if draft.opportunity is None:
            result.created += 1
            continue
        draft.changed_fields = _changed_fields(draft, mapping)
        if draft.changed_fields:
            result.updated += 1
        else:
            result.unchanged += 1


def _changed_fields(draft: _OpportunityDraft, mapping: ColumnMapping) -> list[str]:
    opportunity = draft.opportunity
    changed = [name for name, value in draft.values.items() if getattr(opportunity, name) != value]
    if draft.account.pk != opportunity.account_id:
        changed.append("account")
    if not isinstance(draft.stage, Stage) or draft.stage.pk != opportunity.stage_id:
        changed.append("stage")
    if "owner" in mapping and owner_changed(draft.owner, opportunity.owner_id):
        changed.append("owner")
    return changed


def _write(valid, mapping: ColumnMapping, stages: StageResolver, owners, result: ImportResult) -> None:
    new_owners = create_owners_used(owners, [draft.owner for draft in valid])
    result.created_owners = [str(user) for user in new_owners.values()]
    used_stage_keys = dict.fromkeys(draft.stage for draft in valid if isinstance(draft.stage, str))
    new_stages = stages.create_pending(used_stage_keys) if used_stage_keys else {}
    result.created_stages = [stage.name for stage in new_stages.values()]
    now = timezone.now()

    created, updated, update_fields = [], [], {"updated_at"}
    for draft in valid:
        opportunity = draft.opportunity or Opportunity()
        for name, value in draft.values.items():
            setattr(opportunity, name, value)
        opportunity.account = draft.account
        opportunity.stage = new_stages.get(draft.stage) if isinstance(draft.stage, str) else draft.stage
        if "owner" in mapping:
            opportunity.owner = new_owners.get(draft.owner, draft.owner) if draft.owner else None

        if draft.opportunity is None:
            created.append(opportunity)
        elif draft.changed_fields:
            opportunity.updated_at = now
            updated.append(opportunity)
            update_fields.update(draft.changed_fields)

    Opportunity.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Opportunity.objects.bulk_update(updated, sorted(update_fields), batch_size=BATCH_SIZE)
