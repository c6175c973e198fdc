import datetime
from decimal import Decimal

from django.test import SimpleTestCase

from accountwise.transfer.parsing import InvalidValue, cell_text, parse_date, parse_money


class ParseMoneyTests(SimpleTestCase):
    def test_plain_numbers(self):
        self.assertEqual(parse_money("1054"), Decimal("1054.00"))
        self.assertEqual(parse_money("0"), Decimal("0.00"))
        self.assertEqual(parse_money("12.5"), Decimal("12.50"))

    def test_comma_thousands_separators(self):
        self.assertEqual(parse_money("1,234.56"), Decimal("1234.56"))
        self.assertEqual(parse_money("1,234,567"), Decimal("1234567.00"))
        self.assertEqual(parse_money("1,234"), Decimal("1234.00"))

    def test_point_thousands_separators(self):
        self.assertEqual(parse_money("1.234,56"), Decimal("1234.56"))
        self.assertEqual(parse_money("1.234.567"), Decimal("1234567.00"))

    def test_decimal_comma(self):
        self.assertEqual(parse_money("0,5"), Decimal("0.50"))
        self.assertEqual(parse_money("12,34"), Decimal("12.34"))

    def test_space_and_apostrophe_separators(self):
        self.assertEqual(parse_money("1 234,56"), Decimal("1234.56"))
        self.assertEqual(parse_money("1\u00a0234,56"), Decimal("1234.56"))
        self.assertEqual(parse_money("1'234.56"), Decimal("1234.56"))

    def test_currency_symbols(self):
        self.assertEqual(parse_money("$1,234.56"), Decimal("1234.56"))
        self.assertEqual(parse_money("1.234,56 €"), Decimal("1234.56"))
        self.assertEqual(parse_money("£99"), Decimal("99.00"))

    def test_currency_codes(self):
        self.assertEqual(parse_money("EUR 99"), Decimal("99.00"))
        self.assertEqual(parse_money("1,500 USD"), Decimal("1500.00"))

    def test_spreadsheet_numbers(self):
        self.assertEqual(parse_money(1054), Decimal("1054.00"))
        self.assertEqual(parse_money(1054.25), Decimal("1054.25"))
        self.assertEqual(parse_money(0.1 + 0.2), Decimal("0.30"))

    def test_negative_rejected(self):
        for text in ("-5", "-$5", "(1,234.00)", "5-", "\u2212 5"):
            with self.subTest(text=text), self.assertRaisesMessage(InvalidValue, "is negative"):
                parse_money(text)

    def test_negative_number_cell_rejected(self):
        with self.assertRaisesMessage(InvalidValue, '"-3" is negative'):
            parse_money(-3)

    def test_non_numeric_rejected(self):
        for text in ("abc", "12abc", "1e5", "n/a", "1,23,456", "1.2.3,4,5"):
            with self.subTest(text=text), self.assertRaisesMessage(InvalidValue, "is not an amount"):
                parse_money(text)

    def test_boolean_cell_rejected(self):
        with self.assertRaisesMessage(InvalidValue, "is not an amount"):
            parse_money(True)

    def test_more_than_two_decimals_rejected(self):
        with self.assertRaisesMessage(InvalidValue, '"12.345" has more than 2 decimal places'):
            parse_money("12.345")

    def test_largest_amount_accepted(self):
        self.assertEqual(parse_money("999,999,999,999.99"), Decimal("999999999999.99"))

    def test_too_large_rejected(self):
        with self.assertRaisesMessage(InvalidValue, "is too large; the largest amount is 999,999,999,999.99"):
            parse_money("1000000000000")


class ParseDateTests(SimpleTestCase):
    expected = datetime.date(2020, 12, 22)

    def test_iso_date(self):
        self.assertEqual(parse_date("2020-12-22"), self.expected)

    def test_iso_timestamps(self):
        for text in ("2020-12-22T21:16:01Z", "2020-12-22T21:16:01+02:00", "2020-12-22 21:16"):
            with self.subTest(text=text):
                self.assertEqual(parse_date(text), self.expected)

    def test_month_names(self):
        for text in ("22 Dec 2020", "Dec 22, 2020", "December 22, 2020", "22-Dec-2020", "22 December 2020"):
            with self.subTest(text=text):
                self.assertEqual(parse_date(text), self.expected)

    def test_unambiguous_numeric_forms(self):
        for text in ("2020/12/22", "22/12/2020", "12/22/2020", "22.12.2020", "12/22/2020 10:30 PM"):
            with self.subTest(text=text):
                self.assertEqual(parse_date(text), self.expected)

    def test_same_day_and_month(self):
        self.assertEqual(parse_date("05/05/2020"), datetime.date(2020, 5, 5))

    def test_ambiguous_date_rejected(self):
        with self.assertRaisesMessage(InvalidValue, '"03/04/2020" could be day/month or month/day'):
            parse_date("03/04/2020")

    def test_date_format_reads_ambiguous(self):
        self.assertEqual(parse_date("03/04/2020", "%d/%m/%Y"), datetime.date(2020, 4, 3))
        self.assertEqual(parse_date("03/04/2020", "%m/%d/%Y"), datetime.date(2020, 3, 4))

    def test_date_format_keeps_iso(self):
        self.assertEqual(parse_date("2020-12-22", "%d/%m/%Y"), self.expected)

    def test_date_format_mismatch(self):
        with self.assertRaisesMessage(InvalidValue, '"2020.13.01" does not match the date format %d/%m/%Y'):
            parse_date("2020.13.01", "%d/%m/%Y")

    def test_invalid_day_rejected(self):
        for text in ("2021-02-30", "31/02/2020"):
            with self.subTest(text=text), self.assertRaises(InvalidValue):
                parse_date(text)

    def test_two_digit_year_rejected(self):
        with self.assertRaisesMessage(InvalidValue, "has no four-digit year"):
            parse_date("22/12/20")

    def test_text_rejected(self):
        with self.assertRaisesMessage(InvalidValue, '"next week" is not a date'):
            parse_date("next week")

    def test_spreadsheet_dates(self):
        self.assertEqual(parse_date(datetime.datetime(2020, 12, 22, 21, 16)), self.expected)
        self.assertEqual(parse_date(self.expected), self.expected)

    def test_number_cell_rejected(self):
        with self.assertRaisesMessage(InvalidValue, '"44187" is a number, not a date'):
            parse_date(44187)


class CellTextTests(SimpleTestCase):
    def test_whole_float_without_point(self):
        self.assertEqual(cell_text(12345.0), "12345")

    def test_dates_in_iso_form(self):
        self.assertEqual(cell_text(datetime.datetime(2020, 12, 22)), "2020-12-22")

    def test_none_is_empty(self):
        self.assertEqual(cell_text(None), "")
