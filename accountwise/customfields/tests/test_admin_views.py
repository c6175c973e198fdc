from django.urls import reverse

from accountwise.contracts.models import Contract
from accountwise.customfields.models import CustomField
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_account, make_contract

LIST_URL = reverse("customfields:list")
CREATE_URL = reverse("customfields:create")


def _definition_data(**overrides) -> dict:
    data = {
        "entity": "contract", "label": "PO number", "key": "", "field_type": "text",
        "choices_text": "", "help_text": "", "required": "", "show_in_list": "", "filterable": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


class AccessTests(BaseTestCase):
    def test_members_get_403(self):
        field = make_custom_field("contract", "text", "po_number")
        for user in (self.owner, self.teammate, self.outsider):
            self.login(user)
            for url in (LIST_URL, CREATE_URL, reverse("customfields:edit", args=[field.pk])):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            for name in ("move", "retire", "restore"):
                with self.subTest(user=user.username, action=name):
                    response = self.client.post(reverse(f"customfields:{name}", args=[field.pk]), {"direction": "up"})
                    self.assertEqual(response.status_code, 403)

    def test_anonymous_redirected_to_login(self):
        response = self.client.get(LIST_URL)

        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])


class ListTests(BaseTestCase):
    def test_empty_state(self):
        self.login(self.admin)

        response = self.client.get(f"{LIST_URL}?entity=opportunity")

        self.assertContains(response, "Opportunities have no custom fields yet.")
        self.assertContains(response, f"{CREATE_URL}?entity=opportunity")

    def test_counts_records_missing_required_value(self):
        make_custom_field("contract", "text", "po_number", label="PO number", required=True)
        make_contract(self.account, custom_fields={"po_number": "A"})
        make_contract(self.account)
        make_contract(self.account)
        self.login(self.admin)

        response = self.client.get(f"{LIST_URL}?entity=contract")

        self.assertContains(response, "2 records without a value")

    def test_sidebar_link_for_administrators(self):
        self.login(self.admin)

        self.assertContains(self.client.get(LIST_URL), f'href="{LIST_URL}"')


class CreateTests(BaseTestCase):
    def test_key_made_from_label(self):
        self.login(self.admin)

        response = self.client.post(f"{CREATE_URL}?entity=contract", _definition_data(label="PO number 2"))

        self.assertRedirects(response, f"{LIST_URL}?entity=contract")
        field = CustomField.objects.get()
        self.assertEqual(field.key, "po_number_2")
        self.assertEqual(field.entity, "contract")

    def test_bad_key_rejected(self):
        self.login(self.admin)

        response = self.client.post(CREATE_URL, _definition_data(key="PO__number"))

        self.assertContains(response, "Enter a key of at most 40 characters")
        self.assertFalse(CustomField.objects.exists())

    def test_lookup_name_as_key_rejected(self):
        self.login(self.admin)

        response = self.client.post(CREATE_URL, _definition_data(label="Contains"))

        self.assertContains(response, "The key contains is a reserved word in database lookups")
        self.assertFalse(CustomField.objects.exists())

    def test_duplicate_label_and_key_rejected(self):
        make_custom_field("contract", "text", "po_number", label="PO number")
        self.login(self.admin)

        response = self.client.post(CREATE_URL, _definition_data(label="po NUMBER", key="po_number"))

        self.assertContains(response, "Another field on these records is labelled po NUMBER.")
        self.assertContains(response, "A field with the key po_number already exists")

    def test_choice_field_needs_choices(self):
        self.login(self.admin)

        response = self.client.post(CREATE_URL, _definition_data(field_type="choice"))

        self.assertContains(response, "Enter at least one choice, one per line.")

    def test_choices_saved_in_order(self):
        self.login(self.admin)

        self.client.post(CREATE_URL, _definition_data(field_type="choice", choices_text="Gold\n\n Silver \nBronze"))

        self.assertEqual(CustomField.objects.get().choices, ["Gold", "Silver", "Bronze"])

    def test_choice_with_separator_rejected(self):
        self.login(self.admin)

        response = self.client.post(CREATE_URL, _definition_data(field_type="choice", choices_text="A; B"))

        self.assertContains(response, "contains a semicolon, quote or backslash")


class EditTests(BaseTestCase):
    def test_key_and_entity_cannot_change(self):
        field = make_custom_field("contract", "text", "po_number", label="PO number")
        self.login(self.admin)

        self.client.post(
            reverse("customfields:edit", args=[field.pk]),
            _definition_data(entity="account", key="other", label="Purchase order"),
        )

        field.refresh_from_db()
        self.assertEqual((field.entity, field.key, field.label), ("contract", "po_number", "Purchase order"))

    def test_retype_refused_with_records_listed(self):
        field = make_custom_field("contract", "text", "amount", label="Amount")
        good = make_contract(self.account, "Good", custom_fields={"amount": "12"})
        bad = make_contract(self.account, "Bad", custom_fields={"amount": "twelve"})
        self.login(self.admin)

        response = self.client.post(
            reverse("customfields:edit", args=[field.pk]), _definition_data(label="Amount", field_type="money")
        )

        self.assertContains(response, "Nothing was saved.")
        self.assertContains(response, f'href="{bad.get_absolute_url()}"')
        self.assertNotContains(response, f'href="{good.get_absolute_url()}"')
        field.refresh_from_db()
        self.assertEqual(field.field_type, "text")

    def test_retype_lists_first_twenty_and_count(self):
        field = make_custom_field("contract", "text", "amount", label="Amount")
        Contract.objects.bulk_create(
            [Contract(account=self.account, name=f"C{index:02}", custom_fields={"amount": "x"}) for index in range(25)]
        )
        self.login(self.admin)

        response = self.client.post(
            reverse("customfields:edit", args=[field.pk]), _definition_data(label="Amount", field_type="number")
        )

        self.assertContains(response, "25 records in all; the first 20 are listed.")
        misfits = response.content.decode().split('id="misfits"')[1].split("</div>")[0]
        self.assertEqual(misfits.count("<li>"), 20)

    def test_retype_rewrites_values_in_new_shape(self):
        field = make_custom_field("contract", "text", "amount", label="Amount")
        contract = make_contract(self.account, custom_fields={"amount": "12", "other": "x"})
        self.login(self.admin)

        response = self.client.post(
            reverse("customfields:edit", args=[field.pk]), _definition_data(label="Amount", field_type="money")
        )

        self.assertRedirects(response, f"{LIST_URL}?entity=contract")
        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"amount": "12.00", "other": "x"})

    def test_removing_a_used_choice_refused(self):
        field = make_custom_field("account", "choice", "tier", label="Tier", choices=["Gold", "Silver"])
        make_account("Silverline", custom_fields={"tier": "Silver"})
        self.login(self.admin)

        response = self.client.post(
            reverse("customfields:edit", args=[field.pk]),
            _definition_data(entity="account", label="Tier", field_type="choice", choices_text="Gold"),
        )

        self.assertContains(response, "Silverline")
        field.refresh_from_db()
        self.assertEqual(field.choices, ["Gold", "Silver"])

    def test_making_required_reports_missing_count(self):
        field = make_custom_field("contract", "text", "po_number", label="PO number")
        make_contract(self.account)
        self.login(self.admin)

        response = self.client.post(
            reverse("customfields:edit", args=[field.pk]), _definition_data(required="on"), follow=True
        )

        self.assertContains(response, "1 existing record has no PO number.")


class RetireAndMoveTests(BaseTestCase):
    def test_retire_keeps_values_and_restore_brings_them_back(self):
        field = make_custom_field("contract", "text", "po_number", label="PO number")
        contract = make_contract(self.account, custom_fields={"po_number": "PO-1"})
        self.login(self.admin)

        self.client.post(reverse("customfields:retire", args=[field.pk]))
        field.refresh_from_db()
        self.assertTrue(field.is_retired)
        self.login(self.owner)
        self.assertNotContains(self.client.get(contract.get_absolute_url()), "PO-1")

        self.login(self.admin)
        self.client.post(reverse("customfields:restore", args=[field.pk]))
        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"po_number": "PO-1"})
        self.assertContains(self.client.get(contract.get_absolute_url()), "PO-1")

    def test_move_swaps_positions(self):
        first = make_custom_field("contract", "text", "first")
        second = make_custom_field("contract", "text", "second")
        self.login(self.admin)

        self.client.post(reverse("customfields:move", args=[second.pk]), {"direction": "up"})

        keys = list(CustomField.objects.for_entity("contract").in_order().values_list("key", flat=True))
        self.assertEqual(keys, ["second", "first"])
        self.assertNotEqual(first.pk, second.pk)
