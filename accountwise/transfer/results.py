"""Options and results of an import, shared by the command and the browser wizard."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class RowError:
    """A problem with one cell or row; line is the spreadsheet line (the header is line 1)."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class ImportOptions:
    # Import the valid rows and report the others, instead of writing nothing when a row is invalid.
    skip_invalid: bool = False
    # Validate and count without writing anything, as a preview does.
    dry_run: bool = False
    create_owners: bool = False
    create_stages: bool = False
    # Stage name in the file (any case) -> name of an existing stage.
    stage_map: dict[str, str] = field(default_factory=dict)
    # strptime format for dates that are not ISO or otherwise unambiguous, such as "%d/%m/%Y".
    date_format: str | None = None
    # Create the accounts that contacts, contracts and opportunities name but that do not exist.
    create_accounts: bool = False
    # Account names by Salesforce data-tree reference id (an AccountReferences), for cells such as @AccountRef1.
    references: object = None
    # The user importing through the browser, whose rights limit what rows may change and who owns
    # the accounts the import creates. None on the command line, which may change everything.
    acting_user: object = None


# Called with the rows processed so far and the phase: "checking" while rows are only validated,
# "importing" while they are validated and written, "saving" while validated rows are written.
Progress = Callable[[int, str], None]


def no_progress(done: int, phase: str) -> None:
    pass


@dataclass
class StageTotal:
    count: int = 0
    value: Decimal = Decimal("0.00")


@dataclass
class ImportResult:
    entity: str
    row_count: int
    errors: list[RowError] = field(default_factory=list)
    # True once the rows were saved; False after a dry run or when invalid rows stopped the import.
    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_owners: list[str] = field(default_factory=list)
    created_stages: list[str] = field(default_factory=list)
    created_accounts: list[str] = field(default_factory=list)
    # Unknown stage name as first written in the file -> lines that use it.
    unknown_stages: dict[str, list[int]] = field(default_factory=dict)
    # Accounts only: imported rows that have a parent account.
    with_parent: int = 0
    # Contacts only: imported rows that report to another contact.
    with_manager: int = 0
    # Opportunities only: imported rows by stage kind (open, on_hold, won, lost).
    by_stage_kind: dict[str, StageTotal] = field(default_factory=dict)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})

    @property
    def rejected(self) -> int:
        return len(self.rejected_lines)

    def errors_by_line(self) -> dict[int, list[RowError]]:
        grouped: dict[int, list[RowError]] = defaultdict(list)
        for error in self.errors:
            grouped[error.line].append(error)
        return dict(grouped)
