"""Changes to accounts that every caller (views, API, import) makes through these functions."""

import logging

from accountwise.accounts.models import Account, AccountStatus

logger = logging.getLogger(__name__)


def archive_account(account: Account, user) -> None:
    """Archive the account: it leaves the default lists and becomes read-only, keeping its data."""
    account.status = AccountStatus.ARCHIVED
    account.save(update_fields=["status", "updated_at"])
    logger.info("Account %s archived by user %s", account.pk, user.pk)


def restore_account(account: Account, user) -> None:
    account.status = AccountStatus.ACTIVE
    account.save(update_fields=["status", "updated_at"])
    logger.info("Account %s restored by user %s", account.pk, user.pk)
