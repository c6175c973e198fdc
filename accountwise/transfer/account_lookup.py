"""Find the account that a contact, contract or opportunity row belongs to."""

from simple_history.utils import bulk_create_with_history

from accountwise.accounts.models import Account
from accountwise.core.permissions import changeable_accounts, is_administrator
from accountwise.transfer.cells import RowCells
from accountwise.transfer.parsing import InvalidValue
from accountwise.transfer.references import is_reference, unresolved_reference_message
from accountwise.transfer.results import ImportOptions

BATCH_SIZE = 500


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class AccountResolver:
    """Accounts by name (any case), external id and Salesforce reference, loaded in one query.

    With options.create_accounts an unknown name becomes the key of an account
    still to create. With options.acting_user, rows may only point at the
    accounts that user may change, and the accounts created belong to the user.
    """

    def __init__(self, options: ImportOptions):
        self.references = options.references
        self.create_missing = options.create_accounts
        self.owner = options.acting_user
        # New accounts to create, by name key, keeping the first spelling seen.
        self.pending: dict[str, str] = {}
        self._by_name: dict[str, Account] = {}
        self._by_external_id: dict[str, Account] = {}
        # Names of the accounts in Deleted items. A row may not point at one, and the unique
        # constraint on names, which covers deleted rows, keeps it from being created again.
        self._deleted_by_name: dict[str, str] = {}
        self._deleted_by_external_id: dict[str, str] = {}
        for account in Account.all_objects.only("pk", "name", "external_id", "deleted_at"):
            if account.deleted_at is not None:
                self._deleted_by_name.setdefault(name_key(account.name), account.name)
                if account.external_id:
                    self._deleted_by_external_id[account.external_id] = account.name
                continue
            self._by_name.setdefault(name_key(account.name), account)
            if account.external_id:
                self._by_external_id[account.external_id] = account

        user = options.acting_user
        self._changeable: set[int] | None = None
        if user is not None and not is_administrator(user):
            self._changeable = set(changeable_accounts(user).values_list("pk", flat=True))

    def read(self, cells: RowCells, field_name: str = "account") -> Account | str | None:
        """Return the row's account, the name key of an account still to create, or None after an error."""
        text = cells.text(field_name, max_length=200, required=True)
        if not text:
            return None

        name = text
        if is_reference(text) and text not in self._by_external_id:
            if self.references is None:
                cells.error(field_name, unresolved_reference_message(text))
                return None
            try:
                name = self.references.account_name(text)
            except InvalidValue as problem:
                cells.error(field_name, str(problem))
                return None

        account = self._by_name.get(name_key(name)) or self._by_external_id.get(text)
        if account is not None:
            if not self.may_change(account.pk):
                cells.error(
                    field_name,
                    f'you may not change the account "{account.name}"; ask its owner or an administrator '
                    "to add you to its team",
                )
                return None
            return account

        deleted_name = self._deleted_by_name.get(name_key(name)) or self._deleted_by_external_id.get(text)
        if deleted_name is not None:
            cells.error(
                field_name, f'the account "{deleted_name}" is in Deleted items; restore it, then import this row again'
            )
            return None
        if self.create_missing:
            key = name_key(name)
            self.pending.setdefault(key, " ".join(name.split()))
            return key
        cells.error(
            field_name,
            f'no account is named "{name}"; import or create the account first, or let the import create missing accounts',
        )
        return None

    def may_change(self, account_id: int) -> bool:
        """Return whether the importing user may change what belongs to the account."""
        return self._changeable is None or account_id in self._changeable

    def create_pending(self, keys) -> dict[str, Account]:
        """Create an account for each pending name key given; return them by key."""
        accounts = [Account(name=self.pending[key], owner=self.owner) for key in keys]
        bulk_create_with_history(accounts, Account, batch_size=BATCH_SIZE, default_user=self.owner)
        created = dict(zip(keys, accounts))
        for key, account in created.items():
            self._by_name[key] = account
            if self._changeable is not None:
                self._changeable.add(account.pk)
        return created
