from django.urls import reverse

from accountwise.accounts.forms import AccountForm, ContactForm
from accountwise.contracts.forms import ContractForm
from accountwise.contracts.models import Contract
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.opportunities.forms import OpportunityForm
from accountwise.test import BaseTestCase, make_contact, make_contract, make_opportunity, make_user, stage


def _contract_data(**extra) -> dict:
    return {"name": "Support 2027", "status": "active", **extra}


class ContractCustomFieldFormTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.po = make_custom_field("contract", "text", "po_number", label="PO number", required=True)
        cls.budget = make_custom_field("contract", "money", "budget", label="Budget")

    def test_required_field_named_in_error(self):
        form = ContractForm(_contract_data(), instance=Contract(account=self.account), user=self.owner)

        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["cf_po_number"], ["Enter a value for PO number; it is required."])

    def test_values_saved_in_stored_shape(self):
        form = ContractForm(
            _contract_data(cf_po_number="PO-7", cf_budget="1,250.5"),
            instance=Contract(account=self.account), user=self.owner,
        )
        self.assertTrue(form.is_valid(), form.errors)
        contract = form.save()

        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"po_number": "PO-7", "budget": "1250.50"})

    def test_bad_value_named_in_error(self):
        form = ContractForm(
            _contract_data(cf_po_number="PO-7", cf_budget="lots"),
            instance=Contract(account=self.account), user=self.owner,
        )

        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["cf_budget"], ["Enter Budget as an amount in digits, such as 1500.00."])

    def test_edit_keeps_retired_values_and_clears_emptied(self):
        notes = make_custom_field("contract", "text", "old_notes")
        contract = make_contract(self.account, custom_fields={"po_number": "PO-1", "budget": "5.00", "old_notes": "kept"})
        notes.retire()

        form = ContractForm(
            _contract_data(cf_po_number="PO-2", cf_budget=""), instance=contract, user=self.owner
        )
        self.assertNotIn("cf_old_notes", form.fields)
        self.assertTrue(form.is_valid(), form.errors)
        form.save()

        contract.refresh_from_db()
        self.assertEqual(contract.custom_fields, {"po_number": "PO-2", "old_notes": "kept"})

    def test_existing_record_without_required_value_stays_readable(self):
        contract = make_contract(self.account, custom_fields={})
        self.login(self.owner)

        response = self.client.get(contract.get_absolute_url())

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "PO number")

    def test_edit_shows_stored_values(self):
        contract = make_contract(self.account, custom_fields={"po_number": "PO-9", "budget": "12.00"})

        form = ContractForm(instance=contract, user=self.owner)

        self.assertEqual(form["cf_po_number"].value(), "PO-9")
        self.assertEqual(form["cf_budget"].value(), "12.00")


class OtherFormsTests(BaseTestCase):
    def test_account_form_has_account_fields_only(self):
        make_custom_field("account", "boolean", "partner", label="Partner")
        make_custom_field("contact", "date", "birthday", label="Birthday")

        form = AccountForm()

        self.assertIn("cf_partner", form.fields)
        self.assertNotIn("cf_birthday", form.fields)

    def test_contact_form_saves_date(self):
        make_custom_field("contact", "date", "birthday", label="Birthday")
        form = ContactForm({"last_name": "Ng", "cf_birthday": "1980-02-29"})
        form.instance.account = self.account

        self.assertTrue(form.is_valid(), form.errors)
        contact = form.save()

        self.assertEqual(contact.custom_fields, {"birthday": "1980-02-29"})

    def test_opportunity_form_multiple_choice_and_user(self):
        make_custom_field("opportunity", "multiple_choice", "lines", label="Lines", choices=["Cloud", "Support"])
        make_custom_field("opportunity", "user", "sponsor", label="Sponsor")
        data = {
            "name": "Renewal", "stage": stage("Proposal").pk, "value": "10", "close_date": "2027-05-01",
            "cf_lines": ["Support", "Cloud"], "cf_sponsor": str(self.teammate.pk),
        }
        form = OpportunityForm(data, user=self.owner)
        form.instance.account = self.account

        self.assertTrue(form.is_valid(), form.errors)
        opportunity = form.save()

        self.assertEqual(opportunity.custom_fields, {"lines": ["Cloud", "Support"], "sponsor": self.teammate.pk})

    def test_inactive_user_kept_on_edit(self):
        make_custom_field("contract", "user", "sponsor", label="Sponsor")
        leaver = make_user("erin", is_active=False)
        contract = make_contract(self.account, custom_fields={"sponsor": leaver.pk})

        editing = ContractForm(instance=contract, user=self.owner)
        creating = ContractForm(instance=Contract(account=self.account), user=self.owner)

        self.assertIn(leaver.pk, dict(editing.fields["cf_sponsor"].choices))
        self.assertNotIn(leaver.pk, dict(creating.fields["cf_sponsor"].choices))


class ContractCreateViewTests(BaseTestCase):
    def test_post_without_required_value_keeps_typed_input(self):
        make_custom_field("contract", "text", "po_number", label="PO number", required=True)
        self.login(self.owner)

        response = self.client.post(
            f"{reverse('contracts:create')}?account={self.account.pk}", {"name": "Kept name", "status": "active"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter a value for PO number; it is required.")
        self.assertContains(response, 'value="Kept name"')
        self.assertFalse(Contract.objects.exists())


class DetailPageTests(BaseTestCase):
    def test_values_formatted_and_retired_hidden(self):
        make_custom_field("contract", "money", "budget", label="Budget")
        make_custom_field("contract", "date", "review", label="Review")
        make_custom_field("contract", "boolean", "partner", label="Partner deal")
        make_custom_field("contract", "user", "sponsor", label="Sponsor")
        make_custom_field("contract", "url", "portal", label="Portal")
        make_custom_field("contract", "text", "gone", label="Gone field").retire()
        contract = make_contract(self.account, custom_fields={
            "budget": "1500.00", "review": "2027-01-31", "partner": True, "sponsor": self.teammate.pk,
            "portal": "https://portal.example.com/", "gone": "secret",
        })
        self.login(self.owner)

        response = self.client.get(contract.get_absolute_url())

        self.assertContains(response, "$1,500.00")
        self.assertContains(response, "Jan 31, 2027")
        self.assertContains(response, '<dd class="col-sm-8" id="cf-value-partner">Yes</dd>', html=True)
        self.assertContains(response, str(self.teammate))
        self.assertContains(response, 'href="https://portal.example.com/"')
        self.assertNotContains(response, "Gone field")
        self.assertNotContains(response, "secret")

    def test_account_and_contact_pages_show_values(self):
        make_custom_field("account", "choice", "tier", label="Tier", choices=["Gold"])
        make_custom_field("contact", "percentage", "influence", label="Influence")
        self.account.custom_fields = {"tier": "Gold"}
        self.account.save()
        contact = make_contact(self.account, custom_fields={"influence": "40"})
        self.login(self.owner)

        self.assertContains(self.client.get(self.account.get_absolute_url()), "Gold")
        self.assertContains(self.client.get(contact.get_absolute_url()), "40 %")

    def test_opportunity_page_shows_values(self):
        make_custom_field("opportunity", "multiple_choice", "lines", label="Lines", choices=["Cloud", "Support"])
        opportunity = make_opportunity(self.account, custom_fields={"lines": ["Cloud", "Support"]})
        self.login(self.owner)

        self.assertContains(self.client.get(opportunity.get_absolute_url()), "Cloud, Support")
