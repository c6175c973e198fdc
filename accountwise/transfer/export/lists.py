"""The exported lists: each one's columns, and the file that one export of it becomes.

A new list, such as a portfolio view or a report, adds a ListDefinition here
and a queryset in rows.py. The writers and the download views stay as they are.
Headers use words that the importer's column synonyms recognise, so an
exported file imports back.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.text import slugify

from accountwise.accounts.models import AccountStatus, AccountType, ContactRole
from accountwise.contracts.models import ContractStatus
from accountwise.core.models import Organisation
from accountwise.customfields.exports import export_columns
from accountwise.opportunities.models import STAGE_KIND_STATUS, OpportunityStatus, weighted_value
from accountwise.transfer.export.columns import Column, ColumnType, row_reader

# Rows fetched per database round trip, as tuples of plain values with their related fields joined.
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
    # The records' custom fields shown as list columns follow the columns above.
    custom_field_entity: str = ""

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """Return the day of a timestamp in the installation's time zone, as the pages show it."""
    return timezone.localdate(moment) if moment is not None else None


def _user_name(first_name: str | None, last_name: str | None, username: str | None) -> str | None:
    """Return a user's name as User.__str__ shows it: the full name, else the username; None for no user."""
    if username is None:
        return None
    return f"{first_name} {last_name}".strip() or username


def _person_name(first_name: str | None, last_name: str | None) -> str | None:
    """Return a contact's full name as Contact.full_name shows it; None for no contact."""
    if first_name is None:
        return None
    return f"{first_name} {last_name}".strip()


def _label(choices: type[TextChoices]):
    """Return a function that shows a stored choice as its label, as get_FOO_display() does."""
    labels = dict(choices.choices)
    return lambda value: labels.get(value, value)


# A stage probability in percent is a whole number from 0 to 100, so the fractions are computed once.
_PROBABILITY_FRACTIONS = {percent: Decimal(percent) / 100 for percent in range(101)}

_STATUS_LABELS = {kind: OpportunityStatus(status).label for kind, status in STAGE_KIND_STATUS.items()}

_OWNER = ("owner__first_name", "owner__last_name", "owner__username")

ACCOUNTS = ListDefinition(
    name="accounts",
    title="Accounts",
    columns=(
        Column("Name", "name", width=32),
        Column("Type", "type", width=12, convert=_label(AccountType)),
        Column("Status", "status", width=12, convert=_label(AccountStatus)),
        Column("Owner", _OWNER, width=20, convert=_user_name),
        Column("Industry", "industry", width=20),
        Column("Country", "country", width=16),
        # with_parent_shared leaves the name empty where the user may not open the parent.
        Column("Parent", "shared_parent_name", width=28),
        Column("Active contracts", "active_contract_count", ColumnType.INTEGER),
        Column("Open opportunities", "open_opportunity_count", ColumnType.INTEGER),
        Column("Updated", "updated_at", ColumnType.DATE, convert=_local_date),
        Column("External ID", "external_id", width=16),
    ),
    custom_field_entity="account",
)

CONTRACTS = ListDefinition(
    name="contracts",
    title="Contracts",
    columns=(
        Column("Account", "account__name", width=28),
        Column("Name", "name", width=32),
        Column("Value", "value", ColumnType.MONEY),
        Column("Start date", "start_date", ColumnType.DATE),
        Column("End date", "end_date", ColumnType.DATE),
        Column("Status", "status", width=12, convert=_label(ContractStatus)),
        Column("Owner", _OWNER, width=20, convert=_user_name),
        Column("External ID", "external_id", width=16),
    ),
    custom_field_entity="contract",
)

OPPORTUNITIES = ListDefinition(
    name="opportunities",
    title="Opportunities",
    columns=(
        Column("Account", "account__name", width=28),
        Column("Name", "name", width=32),
        Column("Stage", "stage__name", width=18),
        Column("Probability", "stage__probability", ColumnType.PERCENT, convert=_PROBABILITY_FRACTIONS.get),
        Column("Value", "value", ColumnType.MONEY),
        Column("Estimated value", ("value", "stage__probability"), ColumnType.MONEY, convert=weighted_value),
        Column("Close date", "close_date", ColumnType.DATE),
        Column("Owner", _OWNER, width=20, convert=_user_name),
        Column("Status", "stage__kind", width=12, convert=_STATUS_LABELS.get),
        Column("External ID", "external_id", width=16),
    ),
    custom_field_entity="opportunity",
)

CONTACTS = ListDefinition(
    name="contacts",
    title="Contacts",
    columns=(
        Column("Account", "account__name", width=28),
        Column("First name", "first_name", width=16),
        Column("Last name", "last_name", width=18),
        Column("Job title", "job_title", width=24),
        Column("Email", "email", width=28),
        Column("Phone", "phone", width=18),
        Column("Key player", "is_key_player", width=12, convert=lambda flag: "Yes" if flag else "No"),
        Column("Role", "role", width=18, convert=_label(ContactRole)),
        Column("Reports to", ("reports_to__first_name", "reports_to__last_name"), width=24, convert=_person_name),
        Column("External ID", "external_id", width=16),
    ),
    custom_field_entity="contact",
)


def sheet_title(title: str, subject: str = "") -> str:
    """Return a valid sheet name such as "Opportunities – Acme Corporation", shortened to 31 characters."""
    text = f"{title} – {subject}" if subject else title
    text = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", text).split()).strip("'")
    if len(text) > SHEET_TITLE_MAX_LENGTH:
        text = text[: SHEET_TITLE_MAX_LENGTH - 1].rstrip(" –'") + "…"
    return text or title


def with_custom_field_columns(definition: ListDefinition) -> ListDefinition:
    """Return the definition with its entity's list-column custom fields appended, as the list shows them."""
    columns = export_columns(definition.custom_field_entity)
    if not columns:
        return definition
    return replace(definition, columns=definition.columns + columns, custom_field_entity="")


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

    def __post_init__(self):
        if self.definition.custom_field_entity:
            self.definition = with_custom_field_columns(self.definition)

    @property
    def sheet_title(self) -> str:
        return sheet_title(self.definition.title, self.subject)

    def filename(self, extension: str, day: datetime.date) -> str:
        """Return a name such as opportunities-acme-corporation-2026-12-04.xlsx."""
        parts = [self.definition.name, slugify(self.subject), day.isoformat()]
        return "-".join(part for part in parts if part) + f".{extension}"

    def records(self) -> Iterator[list]:
        """Yield each row's cell values, column by column, fetching plain values in chunks.

        One query fetches every source the columns read, related fields joined,
        as tuples, which costs a fraction of building model instances.
        """
        self.row_count = 0
        sources, read = row_reader(self.definition.columns)
        for values in self.rows.values_list(*sources).iterator(chunk_size=CHUNK_SIZE):
            self.row_count += 1
            yield read(values)
