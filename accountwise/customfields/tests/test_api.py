from django.urls import reverse

from accountwise.contracts.models import Contract
from accountwise.customfields.models import CustomField
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_contract

FIELDS_URL = reverse("api:v1:custom-field-list")


def _contract_url(pk: int | None = None) -> str:
    return reverse("api:v1:contract-detail", args=[pk]) if pk else reverse("api:v1:contract-list")


class ValuesApiTests(BaseTestCase):
    def setUp(self):
        make_custom_field("contract", "money", "budget", label="Budget")
        make_custom_field("contract", "text", "po_number", label="PO number", required=True)
        make_custom_field("contract", "multiple_choice", "lines", label="Lines", choices=["Cloud", "Support"])
        make_custom_field("contract", "text", "old", label="Old").retire()

    def test_read_as_nested_object_without_retired(self):
        contract = make_contract(self.account, custom_fields={"budget": "10.00", "old": "hidden"})
        self.login(self.outsider)

        response = self.client.get(_contract_url(contract.pk))

        self.assertEqual(response.json()["custom_fields"], {"budget": "10.00"})

    def test_create_validates_and_stores(self):
        self.login(self.owner)

        response = self.client.post(_contract_url(), {
            "account": self.account.pk, "name": "Support",
            "custom_fields": {"budget": 1200.5, "po_number": "PO-1", "lines": ["Support", "Cloud"]},
        }, content_type="application/json")

        self.assertEqual(response.status_code, 201, response.json())
        contract = Contract.objects.get()
        self.assertEqual(contract.custom_fields, {"budget": "1200.50", "po_number": "PO-1", "lines": ["Cloud", "Support"]})
        self.assertEqual(response.json()["custom_fields"]["budget"], "1200.50")

    def test_missing_required_value_named(self):
        self.login(self.owner)

        response = self.client.post(_contract_url(), {"account": self.account.pk, "name": "Support"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["custom_fields"], {"po_number": ["Enter a value for PO number; it is required."]})

    def test_bad_value_and_unknown_key_rejected(self):
        self.login(self.owner)

        bad = self.client.post(_contract_url(), {
            "account": self.account.pk, "name": "S", "custom_fields": {"po_number": "P", "lines": ["Hardware"]},
        }, content_type="application/json")
        unknown = self.client.post(_contract_url(), {
            "account": self.account.pk, "name": "S", "custom_fields": {"colour": "red"},
        }, content_type="application/json")
        not_object = self.client.post(_contract_url(), {
            "account": self.account.pk, "name": "S", "custom_fields": ["x"],
        }, content_type="application/json")

        self.assertEqual(bad.status_code, 400)
        self.assertIn("Choose only options of Lines", bad.json()["custom_fields"]["lines"][0])
        self.assertEqual(unknown.status_code, 400)
        self.assertIn("colour is not a custom field", unknown.json()["custom_fields"]["colour"][0])
        self.assertEqual(not_object.status_code, 400)
        self.assertFalse(Contract.objects.exists())

    def test_patch_merges_and_null_clears(self):
        contract = make_contract(self.account, custom_fields={"budget": "10.00", "po_number": "PO", "old": "kept"})
        self.login(self.owner)

        response = self.client.patch(
            _contract_url(contract.pk), {"custom_fields": {"budget": None}}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 200, response.json())
        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"po_number": "PO", "old": "kept"})


class DefinitionsApiTests(BaseTestCase):
    def test_everyone_lists_and_filters_by_entity(self):
        make_custom_field("contract", "text", "po_number", label="PO number")
        make_custom_field("account", "text", "region", label="Region")
        self.login(self.outsider)

        response = self.client.get(FIELDS_URL, {"entity": "account"})

        self.assertEqual([field["key"] for field in response.json()], ["region"])

    def test_members_cannot_write(self):
        field = make_custom_field("contract", "text", "po_number")
        self.login(self.owner)

        created = self.client.post(FIELDS_URL, {"entity": "contract", "label": "X", "field_type": "text"}, content_type="application/json")
        deleted = self.client.delete(reverse("api:v1:custom-field-detail", args=[field.pk]))

        self.assertEqual(created.status_code, 403)
        self.assertEqual(deleted.status_code, 403)

    def test_administrator_creates_with_choices(self):
        self.login(self.admin)

        response = self.client.post(FIELDS_URL, {
            "entity": "opportunity", "label": "Product line", "field_type": "choice", "choices": ["Cloud", "Support"],
        }, content_type="application/json")

        self.assertEqual(response.status_code, 201, response.json())
        field = CustomField.objects.get()
        self.assertEqual((field.key, field.choices), ("product_line", ["Cloud", "Support"]))

    def test_invalid_definition_named(self):
        self.login(self.admin)

        response = self.client.post(FIELDS_URL, {"entity": "contract", "label": "Tier", "field_type": "choice"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["choices"], ["Enter at least one choice, one per line."])

    def test_retype_conflict_lists_records(self):
        field = make_custom_field("contract", "text", "amount", label="Amount")
        make_contract(self.account, "Odd one", custom_fields={"amount": "twelve"})
        self.login(self.admin)

        response = self.client.patch(
            reverse("api:v1:custom-field-detail", args=[field.pk]), {"field_type": "number"}, content_type="application/json"
        )

        self.assertEqual(response.status_code, 409)
        self.assertIn("Odd one", response.json()["detail"])
        field.refresh_from_db()
        self.assertEqual(field.field_type, "text")

    def test_retire_through_patch_and_key_fixed(self):
        field = make_custom_field("contract", "text", "amount", label="Amount")
        self.login(self.admin)

        response = self.client.patch(
            reverse("api:v1:custom-field-detail", args=[field.pk]), {"is_retired": True, "key": "other"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 200, response.json())
        field.refresh_from_db()
        self.assertTrue(field.is_retired)
        self.assertEqual(field.key, "amount")

    def test_delete_refused_while_values_exist(self):
        used = make_custom_field("contract", "text", "amount", label="Amount")
        unused = make_custom_field("contract", "text", "spare", label="Spare")
        make_contract(self.account, custom_fields={"amount": "1"})
        self.login(self.admin)

        refused = self.client.delete(reverse("api:v1:custom-field-detail", args=[used.pk]))
        deleted = self.client.delete(reverse("api:v1:custom-field-detail", args=[unused.pk]))

        self.assertEqual(refused.status_code, 409)
        self.assertIn("Retire the field instead", refused.json()["detail"])
        self.assertEqual(deleted.status_code, 204)
        self.assertEqual(list(CustomField.objects.values_list("key", flat=True)), ["amount"])
