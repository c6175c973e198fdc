"""Validate contract rows and write them in batches."""

from accountwise.contracts.models import Contract, ContractStatus
from accountwise.transfer.cells import RowCells, read_owner
from accountwise.transfer.mapping import ColumnMapping
from accountwise.transfer.parsing import InvalidValue, cell_text, parse_date, parse_money
from accountwise.transfer.readers import Table
from accountwise.transfer.record_import import RecordDraft, RecordImport
from accountwise.transfer.results import ImportOptions, ImportResult, Progress, RowError

_STATUSES = {key: value for value, label in ContractStatus.choices for key in (value, label.casefold())}


def import_contracts(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions(), progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then create or update the contracts unless a row is invalid.

    A row with an external id updates the contract with that id. A row
    without one updates the contract of the same name (any case) at the same
    account. A blank status keeps the contract's status, which is active for
    a new contract.
    """
    return _ContractImport(table, mapping, options, progress).run()


def _parse_status(value) -> str:
    text = cell_text(value)
    if text.casefold() not in _STATUSES:
        labels = " or ".join(label for _, label in ContractStatus.choices)
        raise InvalidValue(f'"{text}" is not a contract status; use {labels}')
    return _STATUSES[text.casefold()]


class _ContractImport(RecordImport):
    model = Contract

    def read_row(self, cells: RowCells) -> RecordDraft:
        draft = RecordDraft(cells.line)
        draft.values["name"] = cells.text("name", max_length=200, required=True)
        draft.account = self.accounts.read(cells)
        if "value" in self.mapping:
            draft.values["value"] = cells.parse("value", parse_money)
        for name in ("start_date", "end_date"):
            if name in self.mapping:
                draft.values[name] = cells.parse(name, lambda value: parse_date(value, self.options.date_format))
        if "status" in self.mapping and (status := cells.parse("status", _parse_status)):
            draft.values["status"] = status
        if "description" in self.mapping:
            draft.values["description"] = cells.text("description", verbatim=True)
        if "external_id" in self.mapping:
            draft.values["external_id"] = cells.text("external_id", max_length=100)
        if "owner" in self.mapping:
            draft.owner = read_owner(cells, self.owners, self.options.create_owners)
        return draft

    def check(self, drafts: list[RecordDraft]) -> None:
        """Reject an end date before the start date, taking a stored date where the file has no column."""
        for draft in drafts:
            start = self._date(draft, "start_date")
            end = self._date(draft, "end_date")
            if start and end and end < start:
                column = self.mapping.header("end_date" if "end_date" in self.mapping else "start_date")
                message = f"the end date {end.isoformat()} is before the start date {start.isoformat()}"
                self.result.errors.append(RowError(draft.line, column, message))

    def _date(self, draft: RecordDraft, name: str):
        if name in self.mapping:
            return draft.values.get(name)
        return getattr(draft.record, name) if draft.record is not None else None
