"""Remove a stored file once no document points to it.

A receiver, rather than the delete actions alone, also covers the documents
that a database cascade deletes with their account.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from accountwise.documents.models import Document, document_storage

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=Document, dispatch_uid="documents-remove-stored-file")
def _remove_file_after_delete(sender, instance: Document, **kwargs) -> None:
    if instance.file.name:
        # Until the deletion commits it can still roll back and the row come back.
        transaction.on_commit(partial(remove_unreferenced_file, instance.file.name))


def remove_unreferenced_file(stored_name: str) -> None:
    """Delete a stored file unless a document still points to it."""
    if Document.objects.filter(file=stored_name).exists():
        logger.info("Stored file %s kept: another document still points to it", stored_name)
        return
    try:
        document_storage().delete(stored_name)
    except OSError:
        # The document is gone either way; the file is left for an administrator to clean up.
        logger.exception("Stored file %s could not be deleted", stored_name)
        return
    logger.info("Stored file %s deleted", stored_name)
