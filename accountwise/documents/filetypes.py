"""Find an uploaded file's type from its content, and reject what cannot be uploaded.

The type comes from the first bytes of the file (its magic number), from the
members of a ZIP archive, or from a full read for plain text. The extension
of the file's name must agree with that type. Programs and scripts are
rejected by content and by extension, whatever the other checks find.
"""

import codecs
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

# Maximum length of a file name kept for display and download, in characters.
MAX_NAME_LENGTH = 200
# Name used when nothing usable is left of the user's file name.
FALLBACK_NAME = "document"
# Bytes read to recognise a type by its magic number or markup.
_HEAD_BYTES = 8192
# Largest "mimetype" member of an OpenDocument file that is read, in bytes.
_MAX_MIMETYPE_BYTES = 200

# Extensions of programs and scripts, rejected whatever the content.
BLOCKED_EXTENSIONS = frozenset(
    """
    app apk bash bat cjs cmd com command cpl csh dll dylib exe hta htm html jar js jse ksh
    lnk mjs msi msp php pif pl ps1 psm1 py rb reg scr sh so svg vbe vbs wsf wsh xhtml zsh
    """.split()
)

# Magic numbers of executable programs, with the kind named in the error message.
_PROGRAM_SIGNATURES = [
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS universal program or Java class"),
    (b"#!", "a script"),
]

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Class ids of Windows Installer packages and patches ({000C1084-…} and {000C1086-…}) as stored on disk.
_INSTALLER_CLASS_IDS = {
    bytes.fromhex("84100c0000000000c000000000000046"),
    bytes.fromhex("86100c0000000000c000000000000046"),
}

# Markup that a browser would run or render; checked in lower case at the start of a text file.
_MARKUP_START = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe)", re.IGNORECASE)
_MARKUP_ANYWHERE = re.compile(rb"<(script|svg|html|iframe)[\s>/]", re.IGNORECASE)


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    label: str
    content_type: str
    icon: str


PDF = FileType(("pdf",), "PDF document", "application/pdf", "bi-file-earmark-pdf")
PNG = FileType(("png",), "PNG image", "image/png", "bi-file-earmark-image")
JPEG = FileType(("jpg", "jpeg"), "JPEG image", "image/jpeg", "bi-file-earmark-image")
GIF = FileType(("gif",), "GIF image", "image/gif", "bi-file-earmark-image")
WEBP = FileType(("webp",), "WebP image", "image/webp", "bi-file-earmark-image")
DOCX = FileType(
    ("docx",), "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "bi-file-earmark-word",
)
XLSX = FileType(
    ("xlsx",), "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bi-file-earmark-excel",
)
PPTX = FileType(
    ("pptx",), "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "bi-file-earmark-ppt",
)
DOC = FileType(("doc",), "Word 97–2003 document", "application/msword", "bi-file-earmark-word")
XLS = FileType(("xls",), "Excel 97–2003 workbook", "application/vnd.ms-excel", "bi-file-earmark-excel")
PPT = FileType(("ppt",), "PowerPoint 97–2003 presentation", "application/vnd.ms-powerpoint", "bi-file-earmark-ppt")
ODT = FileType(("odt",), "OpenDocument text", "application/vnd.oasis.opendocument.text", "bi-file-earmark-richtext")
ODS = FileType(
    ("ods",), "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "bi-file-earmark-spreadsheet",
)
ODP = FileType(
    ("odp",), "OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", "bi-file-earmark-slides",
)
ZIP = FileType(("zip",), "ZIP archive", "application/zip", "bi-file-earmark-zip")
TEXT = FileType(("txt", "text", "md"), "text file", "text/plain; charset=utf-8", "bi-file-earmark-text")
CSV = FileType(("csv",), "CSV file", "text/csv; charset=utf-8", "bi-file-earmark-spreadsheet")
TSV = FileType(("tsv",), "tab-separated file", "text/tab-separated-values; charset=utf-8", "bi-file-earmark-spreadsheet")

# Legacy Office files share one container format (OLE), so only their extension distinguishes them.
_OLE_TYPES = (DOC, XLS, PPT)
_TEXT_TYPES = (TEXT, CSV, TSV)
_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_FORMAT_LABELS = {
    _OLE_TYPES: "a Word, Excel or PowerPoint 97–2003 file",
    _TEXT_TYPES: "plain text",
}
_ODF_TYPES = {type_.content_type: type_ for type_ in (ODT, ODS, ODP)}
_TYPES_BY_CONTENT_TYPE = {
    type_.content_type: type_
    for type_ in (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS, PPT, ODT, ODS, ODP, ZIP, TEXT, CSV, TSV)
}

SUPPORTED_TYPES_TEXT = (
    "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, text, CSV or ZIP"
)


def clean_file_name(raw: str) -> str:
    """Return a file name that is safe to show and to send back in a download.

    Keep the last part of a path (either separator), in Unicode NFC form,
    without control or format characters (such as a right-to-left override
    that disguises the extension), and cut to MAX_NAME_LENGTH characters
    with the extension kept.
    """
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co"})
    name = name.strip().rstrip(".").strip()
    if name in {"", ".", ".."}:
        return FALLBACK_NAME

    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) < 20:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    """Return the extension of a file name in lower case, without the dot; "" when there is none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def type_for(content_type: str) -> FileType | None:
    """Return the supported type stored with this media type, or None for an unknown one."""
    return _TYPES_BY_CONTENT_TYPE.get(content_type)


def inspect_upload(upload: UploadedFile, name: str, max_bytes: int) -> FileType:
    """Return the type of an uploaded file, found from its content.

    Raise ValidationError, with a message naming the file and the fix, for
    an empty or too large file, a program or script, an unsupported type,
    or an extension that does not match the content.
    """
    if not upload.size:
        raise ValidationError(f"“{name}” is empty. Choose a file that has content.", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}, but files can be at most "
            f"{filesizeformat(max_bytes)}. Upload a smaller file, or add a link to it on "
            "Google Drive, SharePoint or OneDrive instead.",
            code="too_large",
        )

    extension = extension_of(name)
    if extension in BLOCKED_EXTENSIONS:
        raise ValidationError(
            f"“{name}” is a program or script (.{extension}), which cannot be uploaded. "
            f"Upload a document: {SUPPORTED_TYPES_TEXT}.",
            code="blocked_extension",
        )

    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    program = _program_kind(upload, head)
    if program:
        raise ValidationError(
            f"“{name}” contains {program}, not a document. Programs and scripts cannot be uploaded.",
            code="program",
        )

    candidates = _detect(upload, head)
    if candidates is None:
        raise ValidationError(
            f"“{name}” is not a supported type of file. Upload a {SUPPORTED_TYPES_TEXT} file.",
            code="unsupported",
        )
    if candidates is _TEXT_TYPES and _has_markup(head):
        raise ValidationError(
            f"“{name}” contains web page or image markup (HTML, SVG or XML), which can run "
            "scripts. Save it as a PDF and upload that instead.",
            code="markup",
        )
    return _match_extension(candidates, name, extension)


def _program_kind(upload: UploadedFile, head: bytes) -> str | None:
    for signature, kind in _PROGRAM_SIGNATURES:
        if head.startswith(signature):
            return kind
    # "MZ" also starts ordinary text, but a Windows program's header has NUL bytes after it.
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return "a Windows program (EXE or DLL)"
    if head.startswith(_OLE_SIGNATURE) and _ole_class_id(upload, head) in _INSTALLER_CLASS_IDS:
        return "a Windows installer (MSI)"
    return None


def _ole_class_id(upload: UploadedFile, head: bytes) -> bytes:
    """Return the class id of an OLE file's root entry, which distinguishes an installer from an Office file.

    The header gives the sector size (a power of two at offset 30) and the
    first directory sector (offset 48). The root entry is the first directory
    entry, and its class id is 16 bytes at offset 80 in it.
    """
    if len(head) < 52:
        return b""
    sector_size = 1 << int.from_bytes(head[30:32], "little")
    first_directory_sector = int.from_bytes(head[48:52], "little")
    try:
        upload.seek((first_directory_sector + 1) * sector_size + 80)
        return upload.read(16)
    except (OSError, OverflowError, ValueError):
        return b""
    finally:
        upload.seek(0)


def _has_markup(head: bytes) -> bool:
    return bool(_MARKUP_START.match(head.removeprefix(codecs.BOM_UTF8)) or _MARKUP_ANYWHERE.search(head))


def _detect(upload: UploadedFile, head: bytes) -> tuple[FileType, ...] | None:
    """Return the types the content can be, all sharing one format, or None when unsupported."""
    if head.startswith(b"%PDF-"):
        return (PDF,)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return (PNG,)
    if head.startswith(b"\xff\xd8\xff"):
        return (JPEG,)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return (GIF,)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return (WEBP,)
    if head.startswith(_OLE_SIGNATURE):
        return _OLE_TYPES
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_zip(upload)
    if _is_utf8_text(upload):
        return _TEXT_TYPES
    return None


def _detect_zip(upload: UploadedFile) -> tuple[FileType, ...] | None:
    """Tell an Office (OOXML) or OpenDocument file from a plain ZIP archive by its members."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                return _ooxml_type(names)
            # A real "mimetype" member is a few dozen bytes. A larger one is not read,
            # so that a small archive cannot expand into a huge one in memory.
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= _MAX_MIMETYPE_BYTES:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                odf = _ODF_TYPES.get(mimetype)
                return (odf,) if odf else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib.error):
        return None
    finally:
        upload.seek(0)
    return (ZIP,)


def _ooxml_type(names: list[str]) -> tuple[FileType, ...] | None:
    for prefix, type_ in _OOXML_PARTS.items():
        if any(member.startswith(prefix) for member in names):
            return (type_,)
    return None


def _is_utf8_text(upload: UploadedFile) -> bool:
    """Return whether the whole file is UTF-8 text without NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def _match_extension(candidates: tuple[FileType, ...], name: str, extension: str) -> FileType:
    for type_ in candidates:
        if extension in type_.extensions:
            return type_

    expected = [f".{type_.extensions[0]}" for type_ in candidates]
    if len(expected) > 1:
        expected = [", ".join(expected[:-1]) + " or " + expected[-1]]
    found = _FORMAT_LABELS.get(candidates) or _with_article(candidates[0].label)
    ending = f"ends in .{extension}" if extension else "has no extension"
    raise ValidationError(
        f"“{name}” contains {found}, but its name {ending}. "
        f"Rename the file to end in {expected[0]}, or choose the right file.",
        code="extension_mismatch",
    )


def _with_article(label: str) -> str:
    # Every label starting with a vowel letter is also spoken with a vowel (Excel, OpenDocument).
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"
