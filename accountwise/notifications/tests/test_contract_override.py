"""The renewal notification fields of the contract edit form."""

import datetime

from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.notifications.models import OverrideMode, RenewalOverride
from accountwise.test import BaseTestCase, make_contract


class ContractOverrideTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(
            self.account, "Support", end_date=datetime.date(2027, 12, 31), owner=self.owner
        )
        self.url = reverse("contracts:edit", args=[self.contract.pk])

    def _data(self, **changes) -> dict:
        data = {
            "name": "Support",
            "description": "Support for all sites.",
            "value": "1000",
            "start_date": "",
            "end_date": "2027-12-31",
            "owner": str(self.owner.pk),
            "status": ContractStatus.ACTIVE,
            "renewal_mode": "",
            "renewal_days": "",
        }
        data.update(changes)
        return data

    def test_outsider_cannot_change(self):
        self.login(self.outsider)

        response = self.client.post(self.url, self._data(renewal_mode=OverrideMode.OFF))

        self.assertEqual(response.status_code, 403)
        self.assertFalse(RenewalOverride.objects.exists())

    def test_team_and_admin_may_change(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                RenewalOverride.objects.all().delete()
                self.login(user)

                self.client.post(self.url, self._data(renewal_mode=OverrideMode.OFF))

                self.assertEqual(RenewalOverride.objects.get(contract=self.contract).mode, OverrideMode.OFF)

    def test_edit_form_offers_fields(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Renewal notifications")
        self.assertContains(response, "Follow the renewal rules")
        self.assertContains(response, "Days before the end date for this contract")

    def test_create_form_leaves_them_out(self):
        self.login(self.owner)

        response = self.client.get(f"{reverse('contracts:create')}?account={self.account.pk}")

        self.assertNotContains(response, "Renewal notifications")

    def test_switch_off(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(renewal_mode=OverrideMode.OFF, renewal_days="60"))

        self.assertRedirects(response, self.contract.get_absolute_url(), fetch_redirect_response=False)
        override = RenewalOverride.objects.get(contract=self.contract)
        self.assertEqual(override.mode, OverrideMode.OFF)
        self.assertEqual(override.days_before, [])

    def test_custom_days(self):
        self.login(self.owner)

        self.client.post(self.url, self._data(renewal_mode=OverrideMode.CUSTOM_DAYS, renewal_days="14, 60"))

        override = RenewalOverride.objects.get(contract=self.contract)
        self.assertEqual(override.mode, OverrideMode.CUSTOM_DAYS)
        self.assertEqual(override.days_before, [60, 14])

    def test_custom_needs_days(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(name="Renamed", renewal_mode=OverrideMode.CUSTOM_DAYS))

        self.assertEqual(
            response.context["form"].errors["renewal_days"],
            ["Enter the days for this contract, such as 60, 14, or follow the rules."],
        )
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.name, "Support")
        self.assertFalse(RenewalOverride.objects.exists())

    def test_invalid_days_keep_typed(self):
        self.login(self.owner)

        response = self.client.post(
            self.url, self._data(renewal_mode=OverrideMode.CUSTOM_DAYS, renewal_days="60, 5000")
        )

        self.assertEqual(
            response.context["form"].errors["renewal_days"],
            ["Enter days between 1 and 3650; 5000 is outside that range."],
        )
        self.assertContains(response, 'value="60, 5000"')
        self.assertFalse(RenewalOverride.objects.exists())

    def test_back_to_rules_removes_override(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.CUSTOM_DAYS, days_before=[60])
        self.login(self.owner)

        self.client.post(self.url, self._data(renewal_mode=""))

        self.assertFalse(RenewalOverride.objects.exists())

    def test_form_shows_saved_override(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.CUSTOM_DAYS, days_before=[60, 14])
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["renewal_mode"].value(), OverrideMode.CUSTOM_DAYS)
        self.assertContains(response, 'value="60, 14"')

    def test_unknown_mode_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(renewal_mode="sometimes"))

        self.assertIn("renewal_mode", response.context["form"].errors)
        self.assertFalse(RenewalOverride.objects.exists())
