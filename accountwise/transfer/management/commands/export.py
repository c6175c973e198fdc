"""accountwise export accounts|contracts|opportunities|contacts --output FILE: write a list to a file.

The command writes with the same list definitions, querysets and writers as
the downloads, and filters as the lists do.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet
from django.http import QueryDict

from accountwise.accounts import filters as account_filters
from accountwise.accounts.filters import AccountFilter
from accountwise.accounts.models import Account, AccountType, Contact
from accountwise.contracts import sections as contract_sections
from accountwise.contracts.models import Contract
from accountwise.core.permissions import viewable_accounts
from accountwise.opportunities import sections as opportunity_sections
from accountwise.opportunities.models import Opportunity
from accountwise.portfolio import lists as portfolio_lists
from accountwise.portfolio.models import SavedFilter
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


def _range_parameters(portfolio_filter) -> set[str]:
    """Return the URL parameters of range filters, such as value_min and end_date_after."""
    names = set()
    for name, field in portfolio_filter.form.fields.items():
        widget = field.widget
        for suffix in getattr(widget, "suffixes", ()):
            names.add(f"{name}_{suffix}")
    return names


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

        accounts.add_argument("--team-member", metavar="USERNAME", help="Accounts with this user on their team.")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE", dest="filters",
            help="Contracts and opportunities: a filter of the portfolio view, as in its URL, such as "
            "ends_within=90, value_min=1000, owner=<user id>, stage=<stage id>, close_date_after=2027-01-01 "
            "or cf_<key>=<value>. Repeat it for several filters.",
        )
        parser.add_argument(
            "--saved-filter", metavar="ID",
            help="Contracts and opportunities: apply a saved filter by id. --filter and --status add to it.",
        )
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
        if options["team_member"]:
            accounts = accounts.filter(team_members=self._user(options["team_member"]))
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
            return Export(ACCOUNTS, account_list_rows(accounts, params, user=None))

        # The other lists hold what belongs to the selected accounts, whatever their status.
        accounts = AccountFilter(params | {"status": account_filters.STATUS_ALL}, queryset=accounts).qs
        if entity == "contracts":
            contracts = Contract.objects.filter(account__in=accounts)
            rows = self._portfolio_rows(portfolio_lists.CONTRACTS, contracts, status, options)
            return Export(CONTRACTS, contract_rows(rows, "all"))
        if entity == "opportunities":
            opportunities = Opportunity.objects.filter(account__in=accounts)
            rows = self._portfolio_rows(portfolio_lists.OPPORTUNITIES, opportunities, status, options)
            return Export(OPPORTUNITIES, opportunity_rows(rows, "all"))
        if options["filters"] or options["saved_filter"]:
            raise CommandError("--filter and --saved-filter apply to contracts and opportunities only.")
        return Export(CONTACTS, contact_rows(Contact.objects.filter(account__in=accounts)))

    def _portfolio_rows(self, portfolio, rows: QuerySet, status: str, options) -> QuerySet:
        """Filter and sort the rows as the portfolio view does with the same parameters."""
        params = QueryDict(mutable=True)
        if options["saved_filter"]:
            params.update(self._saved_filter(portfolio.entity, options["saved_filter"]).query_dict)
        for item in options["filters"]:
            name, separator, value = item.partition("=")
            if not separator or not name.strip():
                raise CommandError(f'"{item}" is not a filter. Write it as NAME=VALUE, such as ends_within=90.')
            params.setlist(name.strip(), [*params.getlist(name.strip()), value])
        if options["status"] is not None or "status" not in params:
            params["status"] = status

        portfolio_filter = portfolio.filter_class(portfolio_lists.with_defaults(portfolio, params), queryset=rows)
        unknown = sorted(set(params) - set(portfolio_filter.form.fields) - _range_parameters(portfolio_filter))
        if unknown:
            raise CommandError(
                f"Unknown filter {', '.join(unknown)} for {portfolio.entity}. "
                "Use the parameter names of the portfolio view's URL."
            )
        if not portfolio_filter.is_valid():
            errors = portfolio_filter.form.errors.items()
            problems = " ".join(f"{name}: {' '.join(messages)}" for name, messages in errors)
            raise CommandError(f"Invalid filter. {problems}")
        return portfolio_filter.qs

    def _saved_filter(self, entity: str, pk: str) -> SavedFilter:
        saved = SavedFilter.objects.filter(pk=int(pk), entity=entity).first() if pk.isdigit() else None
        if saved is None:
            raise CommandError(f"No saved filter of {entity} has the id {pk}. Find the id in the saved filter's link.")
        return saved

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
