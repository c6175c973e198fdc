import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from accountwise.customfields.models import CustomField
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.customfields.values import ValueParser, clean_values, fits
from accountwise.test import BaseTestCase, make_user


class ParseValueTests(BaseTestCase):
    def parse(self, field_type: str, raw, **fields):
        field = CustomField(entity="account", key="budget_line", label="Budget line", field_type=field_type, **fields)
        return ValueParser().parse(field, raw)

    def assert_rejected(self, field_type: str, raw, expected_words: str, **fields):
        with self.assertRaises(ValidationError) as caught:
            self.parse(field_type, raw, **fields)
        message = " ".join(caught.exception.messages)
        self.assertIn("Budget line", message)
        self.assertIn(expected_words, message)

    def test_text(self):
        self.assertEqual(self.parse("text", "  North  "), "North")
        self.assert_rejected("text", "x" * 256, "at most 255")

    def test_long_text(self):
        self.assertEqual(self.parse("long_text", "Line one\nLine two"), "Line one\nLine two")
        self.assert_rejected("long_text", "x" * 5001, "at most 5000")

    def test_number_stored_as_plain_decimal_string(self):
        self.assertEqual(self.parse("number", "12.50"), "12.5")
        self.assertEqual(self.parse("number", 3), "3")
        self.assertEqual(self.parse("number", 0.1), "0.1")
        self.assertEqual(self.parse("number", "-4"), "-4")
        self.assert_rejected("number", "twelve", "as a number")
        self.assert_rejected("number", "1.1234567", "at most 6 digits after")

    def test_money_stored_with_two_places(self):
        self.assertEqual(self.parse("money", "1,500"), "1500.00")
        self.assertEqual(self.parse("money", Decimal("9.5")), "9.50")
        self.assert_rejected("money", "-1", "0 or more")
        self.assert_rejected("money", "1.234", "at most 2 digits")
        self.assert_rejected("money", "abc", "amount in digits")

    def test_percentage_from_0_to_100(self):
        self.assertEqual(self.parse("percentage", "12.5"), "12.5")
        self.assertEqual(self.parse("percentage", "100"), "100")
        self.assert_rejected("percentage", "101", "from 0 to 100")
        self.assert_rejected("percentage", "-1", "from 0 to 100")

    def test_date_stored_as_iso(self):
        self.assertEqual(self.parse("date", "2027-01-31"), "2027-01-31")
        self.assertEqual(self.parse("date", datetime.datetime(2027, 2, 1, 10, 0)), "2027-02-01")
        self.assert_rejected("date", "2027-02-30", "as a date")
        self.assert_rejected("date", "soon", "as a date")

    def test_yes_no(self):
        self.assertIs(self.parse("boolean", True), True)
        self.assertIs(self.parse("boolean", "No"), False)
        self.assertIs(self.parse("boolean", "yes"), True)
        self.assert_rejected("boolean", "maybe", "Yes or No")

    def test_single_choice(self):
        self.assertEqual(self.parse("choice", "Gold", choices=["Gold", "Silver"]), "Gold")
        self.assert_rejected("choice", "Bronze", "Gold, Silver", choices=["Gold", "Silver"])

    def test_multiple_choice_is_subset_in_choice_order(self):
        choices = ["Cloud", "Licences", "Support"]
        self.assertEqual(self.parse("multiple_choice", "Support; Cloud", choices=choices), ["Cloud", "Support"])
        self.assertEqual(self.parse("multiple_choice", ["Licences"], choices=choices), ["Licences"])
        self.assert_rejected("multiple_choice", ["Cloud", "Hardware"], "Cloud, Licences, Support", choices=choices)

    def test_user_by_pk_username_or_email(self):
        self.assertEqual(self.parse("user", self.owner.pk), self.owner.pk)
        self.assertEqual(self.parse("user", "BOB"), self.owner.pk)
        self.assertEqual(self.parse("user", "charlie@example.com"), self.teammate.pk)

    def test_user_must_be_active(self):
        retired = make_user("erin", is_active=False)

        self.assert_rejected("user", retired.pk, "active user")
        self.assert_rejected("user", "nobody", "active user")

    def test_user_by_full_name(self):
        user = make_user("estone", first_name="Erin", last_name="Stone")

        self.assertEqual(self.parse("user", "erin STONE"), user.pk)

    def test_url(self):
        self.assertEqual(self.parse("url", "example.com/x"), "https://example.com/x")
        self.assert_rejected("url", "not a url", "web address")

    def test_empty_is_none(self):
        for field_type in ("text", "number", "date", "boolean", "user"):
            with self.subTest(field_type=field_type):
                self.assertIsNone(self.parse(field_type, ""))
        self.assertIsNone(self.parse("multiple_choice", [], choices=["A"]))

    def test_text_field_rejects_non_text(self):
        self.assert_rejected("text", {"a": 1}, "as text")


class CleanValuesTests(BaseTestCase):
    def test_required_field_named_in_error(self):
        field = make_custom_field("contract", "text", "po_number", label="PO number", required=True)

        with self.assertRaises(ValidationError) as caught:
            clean_values([field], {}, {})

        self.assertEqual(caught.exception.message_dict, {"po_number": ["Enter a value for PO number; it is required."]})

    def test_unknown_key_rejected(self):
        field = make_custom_field("contract", "text", "po_number")

        with self.assertRaises(ValidationError) as caught:
            clean_values([field], {"colour": "red"}, {})

        self.assertIn("colour is not a custom field", caught.exception.message_dict["colour"][0])

    def test_keeps_values_not_submitted_and_drops_emptied(self):
        field = make_custom_field("contract", "text", "po_number")

        merged = clean_values([field], {"po_number": ""}, {"po_number": "A1", "old_key": "kept"})

        self.assertEqual(merged, {"old_key": "kept"})


class FitsTests(BaseTestCase):
    def test_stored_values_against_new_type(self):
        money = make_custom_field("account", "money", "amount")
        choice = make_custom_field("account", "choice", "tier", choices=["Gold"])

        self.assertTrue(fits(money, "12"))
        self.assertFalse(fits(money, "twelve"))
        self.assertTrue(fits(choice, "Gold"))
        self.assertFalse(fits(choice, "Silver"))
