import codecs
import datetime
import io

from django.test import SimpleTestCase

from accountwise.transfer.readers import ImportFileError, read_table
from accountwise.transfer.tests.support import TemporaryFolderMixin

ACCENTED = (
    "name,industry,country\n"
    "Société Générale,Banque,France\n"
    "Nestlé,Agroalimentaire,Suisse\n"
    "Crème brûlée Ltd,Pâtisserie,España\n"
)


class CsvEncodingTests(TemporaryFolderMixin, SimpleTestCase):
    def assert_accented_rows(self, table):
        self.assertEqual(table.headers, ["name", "industry", "country"])
        self.assertEqual(table.rows[0].values, ("Société Générale", "Banque", "France"))
        self.assertEqual(table.rows[2].values, ("Crème brûlée Ltd", "Pâtisserie", "España"))

    def test_utf8_without_bom(self):
        table = read_table(self.write_csv(ACCENTED))

        self.assert_accented_rows(table)
        self.assertEqual(table.encoding, "UTF-8")

    def test_utf8_with_bom(self):
        table = read_table(self.write_file("bom.csv", codecs.BOM_UTF8 + ACCENTED.encode()))

        self.assert_accented_rows(table)
        self.assertEqual(table.encoding, "UTF-8 with BOM")

    def test_utf16_little_endian_bom(self):
        table = read_table(self.write_file("u16.csv", codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le")))

        self.assert_accented_rows(table)
        self.assertEqual(table.encoding, "UTF-16")

    def test_utf16_big_endian_bom(self):
        table = read_table(self.write_file("u16.csv", codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be")))

        self.assert_accented_rows(table)

    def test_cp1252_detected(self):
        text = ACCENTED + "“Zürich” Café,Gastronomie – Süd,Österreich\n"
        table = read_table(self.write_csv(text, encoding="cp1252"))

        self.assert_accented_rows(table)
        self.assertEqual(table.rows[3].values[0], "“Zürich” Café")
        self.assertEqual(table.encoding, "cp1252")

    def test_latin1_detected(self):
        table = read_table(self.write_csv(ACCENTED, encoding="latin-1"))

        self.assert_accented_rows(table)

    def test_encoding_option_overrides_detection(self):
        path = self.write_csv("name\nŁódź\nKraków\nŻabka\n", encoding="cp1250")

        table = read_table(path, encoding="cp1250")

        self.assertEqual(table.rows[0].values, ("Łódź",))

    def test_unknown_encoding_option(self):
        with self.assertRaisesMessage(ImportFileError, '"klingon" is not a known encoding'):
            read_table(self.write_csv(ACCENTED), encoding="klingon")

    def test_wrong_encoding_option(self):
        path = self.write_csv(ACCENTED, encoding="cp1252")

        with self.assertRaisesMessage(ImportFileError, "import.csv is not valid utf-8"):
            read_table(path, encoding="utf-8")


class CsvDelimiterTests(TemporaryFolderMixin, SimpleTestCase):
    def test_semicolon(self):
        table = read_table(self.write_csv("name;value\nAcme;1.234,56\nGlobex;99\n"))

        self.assertEqual(table.delimiter, ";")
        self.assertEqual(table.rows[0].values, ("Acme", "1.234,56"))

    def test_tab(self):
        table = read_table(self.write_csv("name\tvalue\nAcme\t1,234.56\n"))

        self.assertEqual(table.delimiter, "\t")
        self.assertEqual(table.rows[0].values, ("Acme", "1,234.56"))

    def test_pipe(self):
        table = read_table(self.write_csv("name|country\nAcme|France\n"))

        self.assertEqual(table.rows[0].values, ("Acme", "France"))

    def test_comma_with_quoted_commas(self):
        table = read_table(self.write_csv('name,value\n"Acme, Inc.","1,234.56"\n'))

        self.assertEqual(table.delimiter, ",")
        self.assertEqual(table.rows[0].values, ("Acme, Inc.", "1,234.56"))

    def test_single_column(self):
        table = read_table(self.write_csv("name\nAcme\n"))

        self.assertEqual(table.headers, ["name"])
        self.assertEqual(table.rows[0].values, ("Acme",))

    def test_delimiter_option(self):
        table = read_table(self.write_csv("name;note\nAcme;a,b,c\n"), delimiter=";")

        self.assertEqual(table.rows[0].values, ("Acme", "a,b,c"))

    def test_describe(self):
        table = read_table(self.write_csv("name;value\nAcme;1\n"))

        self.assertEqual(table.describe(), "CSV, UTF-8, semicolon-separated")


class CsvStructureTests(TemporaryFolderMixin, SimpleTestCase):
    def test_line_numbers_count_blank_lines(self):
        table = read_table(self.write_csv("name\nAcme\n\nGlobex\n"))

        self.assertEqual([row.line for row in table.rows], [2, 4])

    def test_line_numbers_count_records(self):
        table = read_table(self.write_csv('name,note\nAcme,"two\nlines"\nGlobex,x\n'))

        self.assertEqual([row.line for row in table.rows], [2, 3])

    def test_headers_are_trimmed(self):
        table = read_table(self.write_csv(" Name , Country \nAcme,France\n"))

        self.assertEqual(table.headers, ["Name", "Country"])

    def test_unnamed_column_gets_name(self):
        table = read_table(self.write_csv("name,,country\nAcme,x,France\n"))

        self.assertEqual(table.headers, ["name", "column 2", "country"])

    def test_trailing_unnamed_columns_dropped(self):
        table = read_table(self.write_csv("name,country,,\nAcme,France,,\n"))

        self.assertEqual(table.headers, ["name", "country"])

    def test_reads_open_file(self):
        upload = io.BytesIO(b"name\nAcme\n")

        table = read_table(upload, "upload.csv")

        self.assertEqual(table.filename, "upload.csv")
        self.assertEqual(table.rows[0].values, ("Acme",))


class UnreadableFileTests(TemporaryFolderMixin, SimpleTestCase):
    def test_empty_file(self):
        with self.assertRaisesMessage(ImportFileError, "empty.csv is empty; export the data again with a header row"):
            read_table(self.write_file("empty.csv", b""))

    def test_blank_lines_only(self):
        with self.assertRaisesMessage(ImportFileError, "blank.csv is empty"):
            read_table(self.write_csv(";;\n\n", name="blank.csv"))

    def test_header_only(self):
        with self.assertRaisesMessage(ImportFileError, "header.csv has a header row but no data rows"):
            read_table(self.write_csv("name,country\n", name="header.csv"))

    def test_duplicate_headers(self):
        path = self.write_csv("name,country,name\nAcme,France,Globex\n", name="dup.csv")

        with self.assertRaisesMessage(ImportFileError, 'dup.csv has two columns named "name" (columns 1 and 3'):
            read_table(path)

    def test_duplicate_headers_differ_in_spelling(self):
        path = self.write_csv("Account Name,account_name\nAcme,Acme\n", name="dup.csv")

        with self.assertRaisesMessage(ImportFileError, '"Account Name" and "account_name"'):
            read_table(path)

    def test_duplicate_headers_message_names_fix(self):
        path = self.write_csv("name,name\nAcme,Acme\n", name="dup.csv")

        with self.assertRaisesMessage(ImportFileError, "rename one of them"):
            read_table(path)

    def test_binary_file(self):
        path = self.write_file("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)

        with self.assertRaisesMessage(ImportFileError, "image.csv is not text in any encoding that could be detected"):
            read_table(path)

    def test_missing_file(self):
        with self.assertRaisesMessage(ImportFileError, "missing.csv does not exist"):
            read_table(self.folder / "missing.csv")

    def test_folder(self):
        with self.assertRaisesMessage(ImportFileError, "is a folder"):
            read_table(self.folder)

    def test_old_excel_file(self):
        path = self.write_file("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

        with self.assertRaisesMessage(ImportFileError, "old.xls is an old Excel (.xls) workbook"):
            read_table(path)

    def test_corrupt_xlsx(self):
        path = self.write_file("broken.xlsx", b"PK\x03\x04 this is not a workbook")

        with self.assertRaisesMessage(ImportFileError, "broken.xlsx is not a readable XLSX workbook"):
            read_table(path)

    def test_sheet_option_on_csv(self):
        with self.assertRaisesMessage(ImportFileError, "import.csv is a CSV file, which has no sheets"):
            read_table(self.write_csv("name\nAcme\n"), sheet="Accounts")


class XlsxTests(TemporaryFolderMixin, SimpleTestCase):
    def write_workbook(self):
        return self.write_xlsx({
            "Accounts": [["name", "country"], ["Acme", "France"]],
            "Deals": [["name", "value"], ["Renewal", 1200.5]],
            "Notes": [["text"], ["hello"]],
        })

    def test_first_sheet_by_default(self):
        table = read_table(self.write_workbook())

        self.assertEqual(table.sheet, "Accounts")
        self.assertEqual(table.rows[0].values, ("Acme", "France"))

    def test_other_sheets_listed(self):
        table = read_table(self.write_workbook())

        self.assertEqual(table.other_sheets, ["Deals", "Notes"])

    def test_sheet_option(self):
        table = read_table(self.write_workbook(), sheet="Deals")

        self.assertEqual(table.headers, ["name", "value"])
        self.assertEqual(table.rows[0].values, ("Renewal", 1200.5))

    def test_sheet_option_ignores_case(self):
        table = read_table(self.write_workbook(), sheet="deals")

        self.assertEqual(table.sheet, "Deals")

    def test_unknown_sheet(self):
        with self.assertRaisesMessage(ImportFileError, 'has no sheet named "Leads"; its sheets are Accounts, Deals, Notes'):
            read_table(self.write_workbook(), sheet="Leads")

    def test_typed_cells_kept(self):
        closing = datetime.datetime(2025, 3, 31)
        path = self.write_xlsx({"Deals": [["name", "close date", "value"], ["Renewal", closing, 1500]]})

        table = read_table(path)

        self.assertEqual(table.rows[0].values, ("Renewal", closing, 1500))

    def test_line_numbers_are_sheet_rows(self):
        path = self.write_xlsx({"Accounts": [["name"], ["Acme"], [None], ["Globex"]]})

        table = read_table(path)

        self.assertEqual([row.line for row in table.rows], [2, 4])

    def test_header_only_sheet(self):
        path = self.write_xlsx({"Accounts": [["name", "country"]]})

        with self.assertRaisesMessage(ImportFileError, "has a header row but no data rows"):
            read_table(path)

    def test_describe(self):
        table = read_table(self.write_workbook(), sheet="Deals")

        self.assertEqual(table.describe(), 'XLSX, sheet "Deals"')

    def test_row_count_read_on_demand(self):
        path = self.write_xlsx({"Accounts": [["name"], ["Acme"], [None], ["Globex"], ["Initech"]]})

        table = read_table(path)

        self.assertEqual(table.row_count, 3)


class RereadTests(TemporaryFolderMixin, SimpleTestCase):
    def test_csv_rows_read_again(self):
        table = read_table(self.write_csv("name\nAcme\nGlobex\n"))

        first = [row.values for row in table.rows]
        second = [row.values for row in table.rows]

        self.assertEqual(first, [("Acme",), ("Globex",)])
        self.assertEqual(second, first)

    def test_xlsx_rows_read_again(self):
        table = read_table(self.write_xlsx({"Accounts": [["name"], ["Acme"], ["Globex"]]}))

        self.assertEqual(list(table.iter_rows()), list(table.iter_rows()))

    def test_csv_row_count(self):
        table = read_table(self.write_csv("name\nAcme\n\nGlobex\n"))

        self.assertEqual(len(table.rows), 2)

    def test_first_rows(self):
        table = read_table(self.write_csv("name\nA\nB\nC\n"))

        self.assertEqual([row.values[0] for row in table.first_rows(2)], ["A", "B"])

    def test_malformed_line_reported_when_read(self):
        path = self.write_csv("name,notes\nAcme," + "x" * 200_000 + "\n")

        with self.assertRaisesMessage(ImportFileError, "import.csv is not a valid CSV file near line 2"):
            read_table(path)

    def test_quoted_line_breaks_kept(self):
        table = read_table(self.write_csv('name,notes\nAcme,"one\r\ntwo"\nGlobex,x\n'))

        self.assertEqual([row.values for row in table.rows], [("Acme", "one\r\ntwo"), ("Globex", "x")])
        self.assertEqual([row.line for row in table.rows], [2, 3])
