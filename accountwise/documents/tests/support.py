"""Sample files, document factories and a test case that keeps uploads out of the repository."""

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accountwise.documents.actions import add_link, add_upload
from accountwise.documents.filetypes import clean_file_name, inspect_upload
from accountwise.documents.forms import max_upload_bytes
from accountwise.documents.links import validate_link
from accountwise.documents.models import Document
from accountwise.test import BaseTestCase

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
GIF = b"GIF89a" + bytes(20)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20)
# A Windows program: "MZ", the DOS header with its NUL bytes, and a PE signature.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44) + b"PE\x00\x00"
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + bytes(24)
MACOS_PROGRAM = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(24)
SHELL_SCRIPT = b"#!/bin/sh\necho hello\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>\n'
TEXT = "Notes from the renewal meeting: prices stay as they are.\n".encode()
CSV = "name;value\nLicences;1200\nSupport;300\n".encode()


def ole_file(class_id: bytes = bytes(16)) -> bytes:
    """Build a minimal OLE container whose root entry has the given class id (512-byte sectors)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = (9).to_bytes(2, "little")  # sector size 2**9
    header[48:52] = (0).to_bytes(4, "little")  # the directory starts at sector 0
    directory = bytearray(512)
    directory[:10] = "Root".encode("utf-16-le") + b"\x00\x00"
    directory[80:96] = class_id
    return bytes(header + directory)


def zip_file(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx() -> bytes:
    return zip_file({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    return zip_file({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def pptx() -> bytes:
    return zip_file({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})


def odt() -> bytes:
    return zip_file({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def plain_zip() -> bytes:
    return zip_file({"minutes.txt": b"Minutes"})


def upload(name: str = "contract.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_uploaded_document(account, name: str = "Signed contract.pdf", content: bytes = PDF, *, user=None,
                           title: str = "", contract=None, opportunity=None) -> Document:
    """Store a file through the same checks and action as the upload form."""
    file = upload(name, content)
    cleaned = clean_file_name(name)
    file_type = inspect_upload(file, cleaned, max_upload_bytes())
    return add_upload(
        account, file, file_type, name=cleaned, title=title, user=user or account.owner,
        contract=contract, opportunity=opportunity,
    )


def make_link_document(account, url: str = "https://drive.google.com/file/d/1AbC/view", *, user=None,
                       title: str = "Proposal draft", contract=None, opportunity=None) -> Document:
    provider = validate_link(url, known_providers_only=False)
    return add_link(
        account, url, provider, title=title, user=user or account.owner,
        contract=contract, opportunity=opportunity,
    )


class DocumentTestCase(BaseTestCase):
    """A test case whose uploads go to a temporary MEDIA_ROOT, deleted after each test."""

    def setUp(self):
        super().setUp()
        media_root = tempfile.mkdtemp(prefix="aw-documents-test-")
        self.addCleanup(shutil.rmtree, media_root, ignore_errors=True)
        media_settings = override_settings(MEDIA_ROOT=media_root)
        media_settings.enable()
        self.addCleanup(media_settings.disable)
        self.media_root = Path(media_root)

    def stored_files(self) -> list[Path]:
        return sorted(path for path in self.media_root.rglob("*") if path.is_file())
