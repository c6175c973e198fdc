"""The exported lists: each one's columns, and the file that one export of it becomes.

A new list, such as a portfolio view or a report, adds a ListDefinition here
and a queryset in rows.py. The writers and the download views stay as they are.
Headers use words that the importer's column synonyms recognise, so an
exported file imports back.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from accountwise.core.models import Organisation
from accountwise.opportunities.models import OpportunityStatus
from accountwise.transfer.export.columns import Column, ColumnType

# Rows fetched per database round trip. Each chunk comes with its related objects, joined in the same query.
CHUNK_SIZE = 2000

# Excel's limits on sheet names: at most 31 characters, none of []:*?/\.
SHEET_TITLE_MAX_LENGTH = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ListDefinition:
    """An exported list: the name its files start with, its sheet title, and its columns in order."""

    name: str
    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def _local_date(moment: datetime.datetime) -> datetime.date:
    """Return the day of a timestamp in the installation's time zone, as the pages show it."""
    return timezone.localdate(moment)


def _probability(opportunity) -> Decimal:
    return Decimal(opportunity.stage.probability) / 100


def _opportunity_status(opportunity) -> str:
    return OpportunityStatus(opportunity.status).label


ACCOUNTS = ListDefinition(
    name="accounts",
    title="Accounts",
    columns=(
        Column("Name", "name", width=32),
        Column("Type", lambda account: account.get_type_display(), width=12),
        Column("Status", lambda account: account.get_status_display(), width=12),
        Column("Owner", "owner", width=20),
        Column("Industry", "industry", width=20),
        Column("Country", "country", width=16),
        Column("Parent", "parent.name", width=28),
        Column("Active contracts", "active_contract_count", ColumnType.INTEGER),
        Column("Open opportunities", "open_opportunity_count", ColumnType.INTEGER),
        Column("Updated", lambda account: _local_date(account.updated_at), ColumnType.DATE),
        Column("External ID", "external_id", width=16),
    ),
)

CONTRACTS = ListDefinition(
    name="contracts",
    title="Contracts",
    columns=(
        Column("Account", "account.name", width=28),
        Column("Name", "name", width=32),
        Column("Value", "value", ColumnType.MONEY),
        Column("Start date", "start_date", ColumnType.DATE),
        Column("End date", "end_date", ColumnType.DATE),
        Column("Status", lambda contract: contract.get_status_display(), width=12),
        Column("Owner", "owner", width=20),
        Column("External ID", "external_id", width=16),
    ),
)

OPPORTUNITIES = ListDefinition(
    name="opportunities",
    title="Opportunities",
    columns=(
        Column("Account", "account.name", width=28),
        Column("Name", "name", width=32),
        Column("Stage", "stage.name", width=18),
        Column("Probability", _probability, ColumnType.PERCENT),
        Column("Value", "value", ColumnType.MONEY),
        Column("Estimated value", "estimated_value", ColumnType.MONEY),
        Column("Close date", "close_date", ColumnType.DATE),
        Column("Owner", "owner", width=20),
        Column("Status", _opportunity_status, width=12),
        Column("External ID", "external_id", width=16),
    ),
)

CONTACTS = ListDefinition(
    name="contacts",
    title="Contacts",
    columns=(
        Column("Account", "account.name", width=28),
        Column("First name", "first_name", width=16),
        Column("Last name", "last_name", width=18),
        Column("Job title", "job_title", width=24),
        Column("Email", "email", width=28),
        Column("Phone", "phone", width=18),
        Column("Key player", lambda contact: "Yes" if contact.is_key_player else "No", width=12),
        Column("Role", lambda contact: contact.get_role_display(), width=18),
        Column("Reports to", "reports_to.full_name", width=24),
        Column("External ID", "external_id", width=16),
    ),
)


def sheet_title(title: str, subject: str = "") -> str:
    """Return a valid sheet name such as "Opportunities – Acme Corporation", shortened to 31 characters."""
    text = f"{title} – {subject}" if subject else title
    text = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", text).split()).strip("'")
    if len(text) > SHEET_TITLE_MAX_LENGTH:
        text = text[: SHEET_TITLE_MAX_LENGTH - 1].rstrip(" –'") + "…"
    return text or title


@dataclass
class Export:
    """One export of a list: its rows in display order and the account they belong to, if one.

    Iterating over records() fetches the rows and counts them in row_count.
    """

    definition: ListDefinition
    rows: QuerySet
    # Names the sheet and the file, as in "Opportunities – Acme Corporation".
    subject: str = ""
    currency: str = field(default_factory=lambda: Organisation.get().currency)
    row_count: int = field(default=0, init=False)

    @property
    def sheet_title(self) -> str:
        return sheet_title(self.definition.title, self.subject)

    def filename(self, extension: str, day: datetime.date) -> str:
        """Return a name such as opportunities-acme-corporation-2026-12-04.xlsx."""
        parts = [self.definition.name, slugify(self.subject), day.isoformat()]
        return "-".join(part for part in parts if part) + f".{extension}"

    def records(self) -> Iterator[list]:
        """Yield each row's values, column by column, reading the rows in chunks."""
        self.row_count = 0
        columns = self.definition.columns
        for row in self.rows.iterator(chunk_size=CHUNK_SIZE):
            self.row_count += 1
            yield [column.read(row) for column in columns]
