from decimal import Decimal

from django.test import SimpleTestCase

from accountwise.lib.money import format_money, format_money_short, quantize_money


class MoneyTests(SimpleTestCase):
    def test_quantize_rounds_half_up(self):
        self.assertEqual(quantize_money(Decimal("0.005")), Decimal("0.01"))
        self.assertEqual(quantize_money(Decimal("2.344")), Decimal("2.34"))

    def test_format_in_currency(self):
        self.assertEqual(format_money(Decimal("1234.5"), "USD"), "$1,234.50")
        self.assertEqual(format_money(Decimal("1234.5"), "EUR"), "€1,234.50")

    def test_format_short_drops_cents(self):
        self.assertEqual(format_money_short(Decimal("1234.56"), "USD"), "$1,235")

    def test_none_is_dash(self):
        self.assertEqual(format_money(None, "USD"), "—")
