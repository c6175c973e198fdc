"""Soft delete of accounts, contracts and opportunities: delete, undo or restore, and purge after retention.

A deleted record keeps its row with deleted_at and deleted_by set; the
default managers leave it out everywhere. Deleting an account deletes its
live contracts and opportunities at the same instant, and restoring the
account restores exactly those (the ones deleted on their own stay deleted).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract
from accountwise.core.permissions import can_change, is_administrator
from accountwise.opportunities.models import Opportunity

logger = logging.getLogger(__name__)

# Kinds of softly deleted records by URL key, in the order the Deleted items page lists them.
DELETABLE = {"account": Account, "contract": Contract, "opportunity": Opportunity}
_FIELDS = ["deleted_at", "deleted_by", "updated_at"]


class RestoreError(Exception):
    """A restore the rules forbid; the message is written for the user."""


def kind_of(record: Model) -> str:
    return next(key for key, model in DELETABLE.items() if isinstance(record, model))


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ACCOUNTWISE_DELETED_RETENTION_DAYS)


def purge_date(record: Model) -> datetime.datetime:
    """Return when purge_deleted() removes a deleted record for good."""
    return record.deleted_at + retention()


def soft_delete(record: Model, user) -> None:
    """Delete a record softly; for an account, its live contracts and opportunities with it."""
    now = timezone.now()
    with transaction.atomic():
        _mark(record, now, user)
        if isinstance(record, Account):
            for dependent in [*record.contracts.all(), *record.opportunities.all()]:
                _mark(dependent, now, user)
    logger.info("%s %s deleted by user %s", type(record).__name__, record.pk, user.pk)


def restore(record: Model, user) -> None:
    """Restore a deleted record; for an account, the contracts and opportunities deleted with it.

    Raise RestoreError for a contract or opportunity whose account is deleted.
    Names and external ids need no check: their unique constraints cover
    deleted rows too, so no live record can have taken them meanwhile.
    """
    if not isinstance(record, Account) and record.account.deleted_at is not None:
        raise RestoreError(
            f"{record} belongs to {record.account}, which is deleted too. Restore the account first."
        )

    with transaction.atomic():
        if isinstance(record, Account):
            for model in (Contract, Opportunity):
                for dependent in model.all_objects.filter(account=record, deleted_at=record.deleted_at):
                    _mark(dependent, None, None)
        _mark(record, None, None)
    logger.info("%s %s restored by user %s", type(record).__name__, record.pk, user.pk)


def may_restore(user, record: Model) -> bool:
    """Administrators restore anything; the user who deleted a record may undo it while they may change it."""
    if is_administrator(user):
        return True
    return record.deleted_by_id == user.pk and can_change(user, record)


def purge_deleted(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete for good the records deleted longer ago than the retention period; return counts by kind.

    Contracts and opportunities go first so that each is counted under its
    own kind, then accounts, whose deletion cascades to what is left on them.
    """
    cutoff = (now or timezone.now()) - retention()
    counts = {}
    with transaction.atomic():
        for key in ("contract", "opportunity", "account"):
            expired = DELETABLE[key].all_objects.filter(deleted_at__lt=cutoff)
            pks = list(expired.values_list("pk", flat=True))
            for record in DELETABLE[key].all_objects.filter(pk__in=pks):
                # Deleting one by one keeps a history row ("Deleted") for each record.
                record.delete()
            counts[key] = len(pks)
    logger.info("Purged deleted records older than %s: %s", cutoff.isoformat(), counts)
    return counts


@dataclass
class DeletedItem:
    kind: str
    record: Model
    purge_at: datetime.datetime


def deleted_items() -> list[DeletedItem]:
    """List every deleted record, newest deletion first, in one query per kind."""
    items = []
    for key, model in DELETABLE.items():
        queryset = model.all_objects.filter(deleted_at__isnull=False).select_related("deleted_by")
        if key != "account":
            queryset = queryset.select_related("account")
        items += [DeletedItem(key, record, purge_date(record)) for record in queryset]
    return sorted(items, key=lambda item: item.record.deleted_at, reverse=True)


def _mark(record: Model, when, user) -> None:
    record.deleted_at = when
    record.deleted_by = user
    record.save(update_fields=_FIELDS)
