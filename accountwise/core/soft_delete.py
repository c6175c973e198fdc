"""Managers for records that are deleted softly: kept, hidden, and restorable until purged."""

from django.db import models


class LiveManager(models.Manager):
    """The default manager of a softly deleted model: it leaves deleted rows out.

    Lists, totals, searches, exports and the API all start from it. The
    model's `all_objects` manager includes deleted rows, for restoring and
    purging them; related-object access (contract.account) uses Django's base
    manager, so it still reaches a deleted parent.
    """

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)
