"""accountwise export accounts|contracts|opportunities|contacts --output FILE: write a list to a file.

The command writes with the same list definitions, querysets and writers as
the downloads, and filters as the lists do.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from accountwise.accounts import filters as account_filters
from accountwise.accounts.filters import AccountFilter
from accountwise.accounts.models import Account, AccountType, Contact
from accountwise.contracts import sections as contract_sections
from accountwise.contracts.models import Contract
from accountwise.core.permissions import viewable_accounts
from accountwise.opportunities import sections as opportunity_sections
from accountwise.opportunities.models import Opportunity
from accountwise.transfer.export.lists import ACCOUNTS, CONTACTS, CONTRACTS, OPPORTUNITIES, Export
from accountwise.transfer.export.rows import (
    account_list_rows,
    contact_rows,
    contract_rows,
    opportunity_rows,
)
from accountwise.transfer.export.writers import CSV, FORMATS, write_csv, write_xlsx

# Entity -> (status values, default status) of the list it exports. Contacts have no status.
_STATUSES = {
    "accounts": (account_filters.STATUS_VALUES, account_filters.DEFAULT_STATUS),
    "contracts": (
        [value for value, _ in contract_sections.STATUS_FILTERS],
        contract_sections.DEFAULT_STATUS,
    ),
    "opportunities": (
        [value for value, _ in opportunity_sections.STATUS_FILTERS],
        opportunity_sections.DEFAULT_STATUS,
    ),
    "contacts": ([], ""),
}


def _status_help() -> str:
    statuses = [
        f"{entity.capitalize()}: {', '.join(values)}." for entity, (values, _) in _STATUSES.items() if values
    ]
    return "Status filter, as on the list (default: active). " + " ".join(statuses)


class Command(BaseCommand):
    help = (
        "Export accounts, contracts, opportunities or contacts to an XLSX or CSV file, "
        "with the columns, filters and order of the lists in the web interface."
    )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=list(_STATUSES), help="Which list to export.")
        parser.add_argument("--output", "-o", required=True, metavar="FILE", help="Path of the file to write.")
        parser.add_argument(
            "--format", choices=FORMATS, dest="file_format",
            help="File format (default: from the extension of --output).",
        )
        parser.add_argument("--status", help=_status_help())
        parser.add_argument(
            "--sort", choices=account_filters.SORT_VALUES, metavar="KEY",
            help="Sort order of accounts, as on the accounts list: name (default), type, owner, "
            "industry, country or updated. A leading - reverses it, as in --sort=-updated.",
        )

        accounts = parser.add_argument_group(
            "account filter", "Export only what belongs to the accounts that match all of these."
        )
        accounts.add_argument("--account", metavar="NAME_OR_ID", help="One account, by name or id.")
        accounts.add_argument("--owner", metavar="USERNAME", help="Accounts owned by this user.")
        accounts.add_argument("--type", choices=AccountType.values, dest="account_type", help="Account type.")
        accounts.add_argument("--industry", help="Accounts in this industry (exact, any case).")
        accounts.add_argument("--country", help="Accounts in this country (exact, any case).")
        accounts.add_argument("--q", metavar="TEXT", help="Accounts whose name, industry or country contains TEXT.")

        parser.add_argument(
            "--user", metavar="USERNAME",
            help="Export only what this user may see (default: everything in the database).",
        )

    def handle(self, *args, **options):
        entity = options["entity"]
        output = Path(options["output"])
        file_format = self._file_format(options["file_format"], output)
        status = self._status(entity, options["status"])
        if options["sort"] and entity != "accounts":
            raise CommandError("--sort applies to accounts only, because the other lists have a fixed order.")

        accounts = self._accounts(options)
        account = self._account(accounts, options["account"]) if options["account"] else None
        if account is not None:
            accounts = accounts.filter(pk=account.pk)
        export = self._export(entity, accounts, status, options)
        export.subject = account.name if account else ""

        count = self._write(export, output, file_format)
        rows = "row" if count == 1 else "rows"
        self.stdout.write(f"Wrote {count:,} {rows} of {entity} to {output.resolve()}")

    def _file_format(self, file_format: str | None, output: Path) -> str:
        if file_format:
            return file_format
        suffix = output.suffix.lower().removeprefix(".")
        if suffix not in FORMATS:
            raise CommandError(
                f"Cannot tell the format of {output} from its extension. Name a .xlsx or .csv "
                "file, or pass --format xlsx or --format csv."
            )
        return suffix

    def _status(self, entity: str, status: str | None) -> str:
        values, default = _STATUSES[entity]
        if status is None:
            return default
        if not values:
            raise CommandError(f"{entity.capitalize()} have no status, so leave out --status.")
        if status not in values:
            raise CommandError(f'"{status}" is not a status of {entity}. Use one of: {", ".join(values)}.')
        return status

    def _accounts(self, options) -> QuerySet:
        """Return the accounts that the --user, --owner, --industry and --country options select."""
        if options["user"]:
            accounts = viewable_accounts(self._user(options["user"]))
        else:
            # Anyone who can run the command can already read the whole database, so it exports everything.
            accounts = Account.objects.all()

        if options["owner"]:
            accounts = accounts.filter(owner=self._user(options["owner"]))
        if options["industry"]:
            accounts = accounts.filter(industry__iexact=options["industry"])
        if options["country"]:
            accounts = accounts.filter(country__iexact=options["country"])
        return accounts

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'No user has the username "{username}". Check the spelling.') from None

    def _account(self, accounts: QuerySet, name_or_id: str) -> Account:
        account = None
        if name_or_id.isdigit():
            account = accounts.filter(pk=int(name_or_id)).first()
        account = account or accounts.filter(name__iexact=name_or_id.strip()).first()
        if account is None:
            raise CommandError(
                f'No account is named "{name_or_id}" or has that id among the accounts selected. '
                "Check the name, or find the id in the account's URL."
            )
        return account

    def _export(self, entity: str, accounts: QuerySet, status: str, options) -> Export:
        # Search and type go through the accounts list's own filter definition.
        params = {"q": options["q"] or "", "type": options["account_type"] or ""}
        if entity == "accounts":
            params |= {"status": status, "sort": options["sort"] or account_filters.DEFAULT_SORT}
            return Export(ACCOUNTS, account_list_rows(accounts, params))

        # The other lists hold what belongs to the selected accounts, whatever their status.
        accounts = AccountFilter(params | {"status": account_filters.STATUS_ALL}, queryset=accounts).qs
        if entity == "contracts":
            return Export(CONTRACTS, contract_rows(Contract.objects.filter(account__in=accounts), status))
        if entity == "opportunities":
            rows = opportunity_rows(Opportunity.objects.filter(account__in=accounts), status)
            return Export(OPPORTUNITIES, rows)
        return Export(CONTACTS, contact_rows(Contact.objects.filter(account__in=accounts)))

    def _write(self, export: Export, output: Path, file_format: str) -> int:
        """Write to a temporary file beside the output, then rename it, so a failure leaves no partial file."""
        if output.is_dir():
            raise CommandError(f"{output} is a folder. Give the path of the file to write.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist. Create it or choose another path.")

        write = write_csv if file_format == CSV else write_xlsx
        partial = output.with_name(f".{output.name}.part")
        try:
            with partial.open("wb") as file:
                count = write(export, file)
            partial.replace(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return count
