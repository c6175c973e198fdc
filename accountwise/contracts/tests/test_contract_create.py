import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.forms import DESCRIPTION_HELP
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.test import BaseTestCase, make_account


class ContractCreateTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("contracts:create") + f"?account={self.account.pk}"

    def _data(self, **changes) -> dict:
        data = {
            "name": "Support 2027",
            "description": "Premium support for all sites.",
            "value": "1500.00",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
            "owner": str(self.owner.pk),
            "status": ContractStatus.ACTIVE,
        }
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, self._data())

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertFalse(Contract.objects.exists())

    def test_team_and_admin_may_create(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, self._data(name=f"By {user.username}"))

                self.assertEqual(response.status_code, 302)
                self.assertTrue(Contract.objects.filter(name=f"By {user.username}").exists())

    def test_create_saves_every_field(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        contract = Contract.objects.get()
        self.assertEqual(contract.account, self.account)
        self.assertEqual(contract.name, "Support 2027")
        self.assertEqual(contract.description, "Premium support for all sites.")
        self.assertEqual(contract.value, Decimal("1500.00"))
        self.assertEqual(contract.start_date, datetime.date(2027, 1, 1))
        self.assertEqual(contract.end_date, datetime.date(2027, 12, 31))
        self.assertEqual(contract.owner, self.owner)
        self.assertIsNone(contract.opportunity)
        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?contracts=active#contracts-section",
            fetch_redirect_response=False,
        )

    def test_owner_defaults_to_current_user(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["owner"].value(), self.teammate.pk)

    def test_form_recommends_description(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, DESCRIPTION_HELP)

    def test_missing_description_saves_with_notice(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(description=""), follow=True)

        self.assertEqual(Contract.objects.get().description, "")
        self.assertContains(response, "Support 2027 has no description.")

    def test_description_given_no_notice(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(), follow=True)

        self.assertNotContains(response, "has no description")

    def test_missing_name_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(name=""))

        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["form"], "name", "Enter a name for the contract.")
        self.assertFalse(Contract.objects.exists())

    def test_negative_value_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="-5"))

        self.assertFormError(response.context["form"], "value", "Enter an amount of 0 or more.")
        self.assertContains(response, 'value="-5"')
        self.assertFalse(Contract.objects.exists())

    def test_non_numeric_value_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="lots"))

        self.assertFormError(response.context["form"], "value", "Enter an amount in digits, such as 1500.00.")
        self.assertContains(response, 'value="lots"')
        self.assertFalse(Contract.objects.exists())

    def test_too_many_digits_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="1234567890123"))

        self.assertIn("at most 12 digits", response.context["form"].errors["value"][0])
        self.assertFalse(Contract.objects.exists())

    def test_too_many_decimals_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="10.005"))

        self.assertFormError(
            response.context["form"], "value", "Enter at most 2 digits after the decimal point."
        )

    def test_grouped_thousands_accepted(self):
        self.login(self.owner)

        self.client.post(self.url, self._data(value="12,500.50"))

        self.assertEqual(Contract.objects.get().value, Decimal("12500.50"))

    def test_end_before_start_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(start_date="2027-06-01", end_date="2027-05-31"))

        form = response.context["form"]
        self.assertFormError(
            form, "end_date", "The end date is before the start date; choose a later end date."
        )
        self.assertEqual(form.non_field_errors(), [])
        self.assertContains(response, 'value="Support 2027"')
        self.assertContains(response, 'value="2027-05-31"')
        self.assertFalse(Contract.objects.exists())

    def test_invalid_date_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(end_date="2027-02-30"))

        self.assertFormError(
            response.context["form"], "end_date", "Enter the end date as a date, such as 2027-12-31."
        )

    def test_unknown_account_not_found(self):
        self.login(self.admin)

        missing = self.client.get(reverse("contracts:create") + "?account=999999")
        malformed = self.client.get(reverse("contracts:create") + "?account=abc")

        self.assertEqual(missing.status_code, 404)
        self.assertEqual(malformed.status_code, 404)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(), follow=True)

        self.assertRedirects(response, self.account.get_absolute_url())
        self.assertContains(response, "is archived, so its contracts and opportunities cannot be changed")
        self.assertFalse(Contract.objects.exists())


class ContractCreateChooserTests(BaseTestCase):
    """The global "Create new → Contract", which has no account in the URL."""

    def setUp(self):
        self.url = reverse("contracts:create")
        self.other = make_account("Globex")

    def _data(self, account, **changes) -> dict:
        data = {"account": str(account.pk) if account else "", "name": "Licences", "status": ContractStatus.ACTIVE}
        data.update(changes)
        return data

    def test_chooser_lists_changeable_accounts(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        choices = list(response.context["form"].fields["account"].queryset)
        self.assertEqual(choices, [self.account])

    def test_admin_chooses_any_account(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        choices = list(response.context["form"].fields["account"].queryset)
        self.assertEqual(choices, [self.account, self.other])

    def test_create_on_chosen_account(self):
        self.login(self.teammate)

        response = self.client.post(self.url, self._data(self.account))

        contract = Contract.objects.get()
        self.assertEqual(contract.account, self.account)
        self.assertRedirects(response, contract.get_absolute_url(), fetch_redirect_response=False)

    def test_account_outside_team_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(self.other))

        self.assertIn("Choose one of the listed accounts", response.context["form"].errors["account"][0])
        self.assertFalse(Contract.objects.exists())

    def test_missing_account_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(None))

        self.assertFormError(response.context["form"], "account", "Choose the account this belongs to.")

    def test_outsider_sees_empty_state(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "there are none yet")
        self.assertNotContains(response, 'name="account"')

    def test_end_before_start_keeps_values(self):
        self.login(self.owner)

        response = self.client.post(
            self.url,
            self._data(self.account, value="900", start_date="2027-03-01", end_date="2027-02-01"),
        )

        form = response.context["form"]
        self.assertIn("end_date", form.errors)
        self.assertEqual(form["account"].value(), str(self.account.pk))
        self.assertContains(response, 'value="900"')
        self.assertFalse(Contract.objects.exists())

    def test_chooser_leaves_out_archived_accounts(self):
        self.other.status = AccountStatus.ARCHIVED
        self.other.save()
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertEqual(list(response.context["form"].fields["account"].queryset), [self.account])

