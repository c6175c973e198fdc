"""Validate opportunity rows and write them in batches."""

from dataclasses import dataclass

from accountwise.opportunities.models import Opportunity, Stage, StageChange, StageKind
from accountwise.transfer.cells import RowCells, read_owner
from accountwise.transfer.mapping import ColumnMapping
from accountwise.transfer.parsing import parse_date, parse_money
from accountwise.transfer.readers import Table
from accountwise.transfer.record_import import BATCH_SIZE, RecordDraft, RecordImport
from accountwise.transfer.results import ImportOptions, ImportResult, Progress, RowError, StageTotal
from accountwise.transfer.stages import StageResolver

_OPTIONAL_TEXT_FIELDS = {"external_id": 100}


@dataclass(eq=False)
class _OpportunityDraft(RecordDraft):
    # A stage, or the name key of an open stage still to create.
    stage: Stage | str | None = None


def import_opportunities(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions(), progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then create or update the opportunities unless a row is invalid.

    A row with an external id updates the opportunity with that id. A row
    without one updates the opportunity of the same name (any case) at the
    same account. Rows name accounts by name (any case), external id or
    Salesforce reference; with options.create_accounts, missing accounts are
    created. Raise StageMapError when options.stage_map names a stage that
    does not exist.
    """
    return _OpportunityImport(table, mapping, options, progress).run()


class _OpportunityImport(RecordImport):
    model = Opportunity

    def __init__(self, table, mapping, options, progress):
        self.stages = StageResolver(options.stage_map)
        super().__init__(table, mapping, options, progress)
        # Unknown stage name key -> (the first spelling seen, the lines that use it).
        self._unknown_stages: dict[str, tuple[str, list[int]]] = {}
        self._new_stages: dict[str, Stage] = {}

    def run(self) -> ImportResult:
        result = super().run()
        result.unknown_stages = {spelling: lines for spelling, lines in self._unknown_stages.values()}
        return result

    def read_row(self, cells: RowCells) -> RecordDraft:
        draft = _OpportunityDraft(cells.line)
        draft.values["name"] = cells.text("name", max_length=200, required=True)
        draft.account = self.accounts.read(cells)
        draft.stage = self._read_stage(cells)
        draft.values["value"] = cells.parse("value", parse_money, required=True)
        draft.values["close_date"] = cells.parse(
            "close_date", lambda value: parse_date(value, self.options.date_format), required=True
        )
        if "description" in self.mapping:
            draft.values["description"] = cells.text("description", verbatim=True)
        for name, max_length in _OPTIONAL_TEXT_FIELDS.items():
            if name in self.mapping:
                draft.values[name] = cells.text(name, max_length)
        if "owner" in self.mapping:
            draft.owner = read_owner(cells, self.owners, self.options.create_owners)
        return draft

    def _read_stage(self, cells: RowCells) -> Stage | str | None:
        """Return the row's stage, the name key of an open stage still to create, or None after an error."""
        text = cells.text("stage", max_length=100, required=True)
        if not text:
            return None

        stage = self.stages.find(text)
        if stage is not None:
            return stage
        if self.options.create_stages:
            return self.stages.add_pending(text)

        key = " ".join(text.split()).casefold()
        _, lines = self._unknown_stages.setdefault(key, (" ".join(text.split()), []))
        lines.append(cells.line)
        cells.error("stage", f'"{text}" is not a stage; map it to an existing stage or create it')
        return None

    def check(self, drafts: list[RecordDraft]) -> None:
        """Reject rows that move an opportunity to a retired stage; one already there may stay."""
        for draft in drafts:
            stage = draft.stage
            if not isinstance(stage, Stage) or not stage.is_retired:
                continue
            if draft.record is None or draft.record.stage_id != stage.pk:
                message = f'the stage "{stage.name}" is retired; map it to a stage in use'
                self.result.errors.append(RowError(draft.line, self.mapping.header("stage"), message))

    def tally(self, draft: RecordDraft) -> None:
        kind = draft.stage.kind if isinstance(draft.stage, Stage) else StageKind.OPEN
        total = self.result.by_stage_kind.setdefault(kind, StageTotal())
        total.count += 1
        total.value += draft.values["value"]

    def changed_fields(self, draft: RecordDraft) -> list[str]:
        changed = super().changed_fields(draft)
        if not isinstance(draft.stage, Stage) or draft.stage.pk != draft.record.stage_id:
            changed.append("stage")
        return changed

    def prepare_write(self, valid: list[RecordDraft]) -> None:
        # Stages before the batch is written, for the stage changes recorded after it.
        self._stored_stages = {draft.record.pk: draft.record.stage_id for draft in valid if draft.record is not None}
        keys = list(dict.fromkeys(
            draft.stage for draft in valid if isinstance(draft.stage, str) and draft.stage not in self._new_stages
        ))
        if keys:
            created = self.stages.create_pending(keys)
            self._new_stages.update(created)
            self.result.created_stages.extend(stage.name for stage in created.values())

    def after_write(self, created: list, updated: list) -> None:
        """Record the stage changes of the batch, as change_stage does for one opportunity."""
        user = self.options.acting_user
        changed_by = user if getattr(user, "is_authenticated", False) else None
        changes = [
            StageChange(opportunity=opportunity, from_stage_id=None, to_stage_id=opportunity.stage_id, changed_by=changed_by)
            for opportunity in created
        ]
        changes += [
            StageChange(
                opportunity=opportunity,
                from_stage_id=self._stored_stages[opportunity.pk],
                to_stage_id=opportunity.stage_id,
                changed_by=changed_by,
            )
            for opportunity in updated
            if self._stored_stages.get(opportunity.pk) != opportunity.stage_id
        ]
        # The bulk update before this call locked the moved opportunities, as record() requires.
        StageChange.objects.record(changes, batch_size=BATCH_SIZE)

    def links(self, draft: RecordDraft) -> dict:
        stage = self._new_stages[draft.stage] if isinstance(draft.stage, str) else draft.stage
        return {"stage_id": stage.pk}
