from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from accountwise.documents import filetypes
from accountwise.documents.filetypes import clean_file_name, inspect_upload
from accountwise.documents.tests import support

MB = 1024 * 1024
# The Windows Installer class id {000C1084-0000-0000-C000-000000000046} as stored on disk.
MSI_CLASS_ID = bytes.fromhex("84100c0000000000c000000000000046")


def _inspect(name: str, content: bytes, max_bytes: int = 25 * MB):
    return inspect_upload(support.upload(name, content), name, max_bytes)


class InspectUploadTests(SimpleTestCase):
    def test_supported_types_recognised(self):
        cases = [
            ("offer.pdf", support.PDF, filetypes.PDF),
            ("logo.png", support.PNG, filetypes.PNG),
            ("photo.jpg", support.JPEG, filetypes.JPEG),
            ("photo.jpeg", support.JPEG, filetypes.JPEG),
            ("chart.gif", support.GIF, filetypes.GIF),
            ("chart.webp", support.WEBP, filetypes.WEBP),
            ("terms.docx", support.docx(), filetypes.DOCX),
            ("prices.xlsx", support.xlsx(), filetypes.XLSX),
            ("pitch.pptx", support.pptx(), filetypes.PPTX),
            ("terms.odt", support.odt(), filetypes.ODT),
            ("terms.doc", support.ole_file(), filetypes.DOC),
            ("prices.xls", support.ole_file(), filetypes.XLS),
            ("pitch.ppt", support.ole_file(), filetypes.PPT),
            ("bundle.zip", support.plain_zip(), filetypes.ZIP),
            ("notes.txt", support.TEXT, filetypes.TEXT),
            ("figures.csv", support.CSV, filetypes.CSV),
            ("Notes.TXT", support.TEXT, filetypes.TEXT),
        ]
        for name, content, expected in cases:
            with self.subTest(name=name):
                self.assertEqual(_inspect(name, content), expected)

    def test_text_with_bom_and_accents(self):
        content = "\ufeffnom;ville\nMüller;Zürich\n".encode()

        self.assertEqual(_inspect("adresses.csv", content), filetypes.CSV)

    def test_text_content_types_carry_charset(self):
        self.assertEqual(_inspect("figures.csv", support.CSV).content_type, "text/csv; charset=utf-8")

    def test_empty_file_rejected(self):
        with self.assertRaisesMessage(ValidationError, "“offer.pdf” is empty. Choose a file that has content."):
            _inspect("offer.pdf", b"")

    def test_size_limit_names_limit(self):
        content = support.PDF + bytes(2 * MB)

        with self.assertRaises(ValidationError) as raised:
            _inspect("offer.pdf", content, max_bytes=1 * MB)

        message = raised.exception.messages[0]
        self.assertIn("“offer.pdf” is 2.0\xa0MB", message)
        self.assertIn("files can be at most 1.0\xa0MB", message)
        self.assertEqual(raised.exception.code, "too_large")

    def test_file_at_limit_accepted(self):
        content = support.PDF + bytes(MB - len(support.PDF))

        self.assertEqual(_inspect("offer.pdf", content, max_bytes=MB), filetypes.PDF)

    def test_program_extensions_rejected(self):
        for extension in ("exe", "bat", "cmd", "sh", "js", "vbs", "ps1", "jar", "msi", "app", "dll", "scr", "com"):
            with self.subTest(extension=extension):
                with self.assertRaises(ValidationError) as raised:
                    _inspect(f"tool.{extension}", support.TEXT)
                self.assertEqual(raised.exception.code, "blocked_extension")
                self.assertIn(f"(.{extension}), which cannot be uploaded", raised.exception.messages[0])

    def test_renamed_exe_as_pdf_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            _inspect("invoice.pdf", support.WINDOWS_PROGRAM)

        self.assertEqual(raised.exception.code, "program")
        self.assertEqual(
            raised.exception.messages[0],
            "“invoice.pdf” contains a Windows program (EXE or DLL), not a document. "
            "Programs and scripts cannot be uploaded.",
        )

    def test_programs_rejected_by_content(self):
        cases = [
            (support.LINUX_PROGRAM, "a Linux program (ELF)"),
            (support.MACOS_PROGRAM, "a macOS program (Mach-O)"),
            (support.SHELL_SCRIPT, "a script"),
            (support.ole_file(MSI_CLASS_ID), "a Windows installer (MSI)"),
        ]
        for content, kind in cases:
            with self.subTest(kind=kind):
                with self.assertRaisesMessage(ValidationError, f"contains {kind}, not a document"):
                    _inspect("report.doc", content)

    def test_text_starting_mz_accepted(self):
        self.assertEqual(_inspect("notes.txt", b"MZ Logistics: delivery notes\n"), filetypes.TEXT)

    def test_html_file_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            _inspect("page.html", support.HTML)

        self.assertEqual(raised.exception.code, "blocked_extension")

    def test_html_renamed_as_text_rejected(self):
        for name, content in [("page.txt", support.HTML), ("logo.pdf", support.SVG), ("notes.csv", b"a,b\n<script>x</script>\n")]:
            with self.subTest(name=name):
                with self.assertRaises(ValidationError) as raised:
                    _inspect(name, content)
                self.assertEqual(raised.exception.code, "markup")

    def test_pdf_renamed_docx_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            _inspect("terms.docx", support.PDF)

        self.assertEqual(raised.exception.code, "extension_mismatch")
        self.assertEqual(
            raised.exception.messages[0],
            "“terms.docx” contains a PDF document, but its name ends in .docx. "
            "Rename the file to end in .pdf, or choose the right file.",
        )

    def test_mismatch_lists_family_extensions(self):
        with self.assertRaisesMessage(ValidationError, "Rename the file to end in .doc, .xls or .ppt"):
            _inspect("terms.pdf", support.ole_file())

    def test_missing_extension_rejected(self):
        with self.assertRaisesMessage(ValidationError, "“README” contains plain text, but its name has no extension."):
            _inspect("README", support.TEXT)

    def test_docx_renamed_zip_rejected(self):
        with self.assertRaisesMessage(ValidationError, "contains a Word document, but its name ends in .zip"):
            _inspect("terms.zip", support.docx())

    def test_binary_rejected_as_unsupported(self):
        for content in (bytes(range(256)), b"text with a NUL\x00 byte", b"\xff\xfeL\x00a\x00"):
            with self.subTest(content=content[:8]):
                with self.assertRaises(ValidationError) as raised:
                    _inspect("data.txt", content)
                self.assertEqual(raised.exception.code, "unsupported")

    def test_oversized_mimetype_not_read(self):
        content = support.zip_file({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 1000})

        self.assertEqual(_inspect("bundle.zip", content), filetypes.ZIP)

    def test_corrupt_zip_unsupported(self):
        with self.assertRaises(ValidationError) as raised:
            _inspect("bundle.zip", b"PK\x03\x04" + bytes(40))

        self.assertEqual(raised.exception.code, "unsupported")

    def test_leaves_file_at_start(self):
        file = support.upload("terms.docx", support.docx())

        inspect_upload(file, "terms.docx", 25 * MB)

        self.assertEqual(file.tell(), 0)


class CleanFileNameTests(SimpleTestCase):
    def test_keeps_last_path_part(self):
        cases = {
            "../../etc/passwd.txt": "passwd.txt",
            "C:\\Users\\kim\\Documents\\Offer.pdf": "Offer.pdf",
            "folder/sub\\mixed/Offer.pdf": "Offer.pdf",
            "..": "document",
            "../..": "document",
            "   ": "document",
            "report.pdf.": "report.pdf",
        }
        for raw, expected in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(clean_file_name(raw), expected)

    def test_removes_control_characters(self):
        self.assertEqual(clean_file_name("Off\x00er\r\n\t.pdf"), "Offer.pdf")

    def test_removes_right_to_left_override(self):
        # U+202E shows "invoice\u202efdp.exe" as "invoiceexe.pdf".
        self.assertEqual(clean_file_name("invoice\u202efdp.exe"), "invoicefdp.exe")

    def test_normalises_to_nfc(self):
        decomposed = "Vertrag Mu\u0308ller.pdf"

        self.assertEqual(clean_file_name(decomposed), "Vertrag M\u00fcller.pdf")

    def test_keeps_unicode_letters(self):
        self.assertEqual(clean_file_name("契約書 2027 — Ñandú.pdf"), "契約書 2027 — Ñandú.pdf")

    def test_long_name_keeps_extension(self):
        name = clean_file_name("a" * 300 + ".pdf")

        self.assertEqual(len(name), filetypes.MAX_NAME_LENGTH)
        self.assertTrue(name.endswith("a.pdf"))
