"""Read the mapped cells of one row, recording each problem against its line and column."""

from collections.abc import Callable

from accountwise.transfer.export.columns import restore_formula
from accountwise.transfer.mapping import ColumnMapping
from accountwise.transfer.owners import OwnerDirectory, owner_key
from accountwise.transfer.parsing import InvalidValue, cell_text, is_blank
from accountwise.transfer.readers import Row
from accountwise.transfer.results import RowError


class RowCells:
    """The cells of one row by field name.

    With restore_formulas, as for CSV files, text that an export guarded
    against formula injection ('=A1) reads back as it was (=A1).
    """

    def __init__(self, row: Row, mapping: ColumnMapping, errors: list[RowError], restore_formulas: bool = False):
        self.row = row
        self.mapping = mapping
        self._errors = errors
        self._restore_formulas = restore_formulas
        self._check_extra_values()

    @property
    def line(self) -> int:
        return self.row.line

    def raw(self, field_name: str):
        if field_name not in self.mapping:
            return None
        value = self.row.value(self.mapping.columns[field_name])
        if self._restore_formulas and isinstance(value, str):
            return restore_formula(value)
        return value

    def text(self, field_name: str, max_length: int | None = None, required: bool = False, verbatim: bool = False) -> str:
        """Return the cell as text, stripped of surrounding spaces unless verbatim.

        Free text such as a description is read verbatim, so that every
        character in the file, spaces and invisible ones included, is kept.
        """
        value = self.raw(field_name)
        if is_blank(value):
            if required:
                self.error(field_name, f"the {self.mapping.spec(field_name).label} is missing")
            return ""

        text = value if verbatim and isinstance(value, str) else cell_text(value)
        if max_length is not None and len(text) > max_length:
            self.error(field_name, f"is {len(text)} characters long; the limit is {max_length}")
            return ""
        return text

    def parse(self, field_name: str, parser: Callable, required: bool = False):
        """Return parser(cell), or None after recording why the cell is blank or invalid."""
        value = self.raw(field_name)
        if is_blank(value):
            if required:
                self.error(field_name, f"the {self.mapping.spec(field_name).label} is missing")
            return None
        try:
            return parser(value)
        except InvalidValue as problem:
            self.error(field_name, str(problem))
            return None

    def error(self, field_name: str | None, message: str) -> None:
        column = self.mapping.header(field_name) if field_name else None
        self._errors.append(RowError(self.row.line, column, message))

    def _check_extra_values(self) -> None:
        extra = self.row.values[len(self.mapping.headers):]
        if any(not is_blank(value) for value in extra):
            self.error(
                None,
                f"has {len(self.row.values)} values but the header has {len(self.mapping.headers)} "
                "columns; put values that contain the delimiter in double quotes",
            )


def read_owner(cells: RowCells, owners: OwnerDirectory | None, create_owners: bool):
    """Return the owner cell as a user, as the key of a user still to create, or None."""
    if owners is None:
        return None
    text = cells.text("owner", max_length=300)
    if not text:
        return None

    try:
        user = owners.find(text)
    except InvalidValue as problem:
        cells.error("owner", str(problem))
        return None
    if user is not None:
        return user
    if create_owners:
        owners.add_pending(text)
        return owner_key(text)

    cells.error("owner", f'no user is named "{text}"; create the user first or let the import create missing owners')
    return None


def owner_changed(owner, owner_id: int | None) -> bool:
    # A string is the key of an owner still to create, so the owner changes.
    return isinstance(owner, str) or getattr(owner, "pk", None) != owner_id


def create_owners_used(owners: OwnerDirectory | None, owner_values) -> dict[str, object]:
    """Create the pending owners among owner_values; return users by key for every pending key used."""
    if owners is None:
        return {}
    keys = list(dict.fromkeys(value for value in owner_values if isinstance(value, str)))
    return dict(zip(keys, owners.create_pending(keys)))
