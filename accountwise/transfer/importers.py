"""Import a table of accounts, contacts, contracts or opportunities: the one entry point for the command and the wizard.

Typical use: read_table() the file, map_columns() its headers, then
run_import() with the options; with ImportOptions(dry_run=True) it only
validates, as a preview does. Nothing here prints; callers present the result.
"""

import logging

from accountwise.transfer.account_import import import_accounts
from accountwise.transfer.contact_import import import_contacts
from accountwise.transfer.contract_import import import_contracts
from accountwise.transfer.mapping import ACCOUNTS, CONTACTS, CONTRACTS, OPPORTUNITIES, ColumnMapping
from accountwise.transfer.opportunity_import import import_opportunities
from accountwise.transfer.readers import Table
from accountwise.transfer.results import ImportOptions, ImportResult, Progress

logger = logging.getLogger(__name__)

IMPORTERS = {
    ACCOUNTS: import_accounts,
    CONTACTS: import_contacts,
    CONTRACTS: import_contracts,
    OPPORTUNITIES: import_opportunities,
}


def run_import(
    table: Table, mapping: ColumnMapping, options: ImportOptions = ImportOptions(), progress: Progress | None = None
) -> ImportResult:
    """Import the table's rows with the given options, calling progress, if given, as rows are processed."""
    result = IMPORTERS[mapping.entity](table, mapping, options, progress)
    logger.info(
        "Import of %s from %s: written=%s, %d created, %d updated, %d unchanged, %d rows rejected",
        mapping.entity, table.filename, result.written, result.created, result.updated,
        result.unchanged, result.rejected,
    )
    return result
