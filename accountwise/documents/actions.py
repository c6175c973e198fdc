"""Changes to documents that every caller (views, contract and opportunity actions) makes through these functions."""

import logging
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accountwise.documents.filetypes import FileType
from accountwise.documents.models import Document, DocumentKind, LinkProvider, document_storage

logger = logging.getLogger(__name__)


def add_upload(
    account, upload: UploadedFile, file_type: FileType, *, name: str, title: str, user,
    contract=None, opportunity=None,
) -> Document:
    """Store an uploaded file under a generated name and record it as a document.

    `file_type` and the cleaned `name` come from filetypes.inspect_upload.
    The stored name is a random UUID in a folder of the upload's month, with
    the checked extension, so no user input reaches the storage path.
    """
    extension = file_type.extensions[0]
    generated = f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    stored_name = document_storage().save(generated, upload)

    document = Document(
        account=account, contract=contract, opportunity=opportunity, kind=DocumentKind.UPLOAD,
        title=title or name, original_name=name, size=upload.size,
        content_type=file_type.content_type, uploaded_by=user,
    )
    document.file.name = stored_name
    try:
        _save_checked(document)
    except Exception:
        # No row points to the file, so it can go; the error still reaches the caller.
        document_storage().delete(stored_name)
        raise

    logger.info(
        "Document %s uploaded to account %s by user %s: %s bytes stored as %s",
        document.pk, account.pk, user.pk, document.size, stored_name,
    )
    return document


def add_link(
    account, url: str, provider: LinkProvider, *, title: str, user, contract=None, opportunity=None,
) -> Document:
    document = Document(
        account=account, contract=contract, opportunity=opportunity, kind=DocumentKind.LINK,
        title=title, url=url, provider=provider, uploaded_by=user,
    )
    _save_checked(document)
    logger.info("Document %s linked to account %s by user %s", document.pk, account.pk, user.pk)
    return document


def delete_document(document: Document, user) -> None:
    """Delete a document. Its stored file is deleted after the deletion commits (see signals.py)."""
    document_pk = document.pk
    document.delete()
    logger.info("Document %s deleted by user %s", document_pk, user.pk)


def delete_documents(documents, user) -> int:
    """Delete every document of a queryset, such as a contract's, and return how many were deleted."""
    pks = list(documents.values_list("pk", flat=True))
    if not pks:
        return 0
    Document.objects.filter(pk__in=pks).delete()
    logger.info("Documents %s deleted by user %s", pks, user.pk)
    return len(pks)


def _save_checked(document: Document) -> None:
    # clean() checks that the contract or opportunity is on the document's account,
    # which no database constraint can express.
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        document.save()
