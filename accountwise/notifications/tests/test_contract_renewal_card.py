"""The renewal card on the contract page."""

import datetime
from unittest import mock

from accountwise.notifications.models import OverrideMode, RenewalOpportunity, RenewalOverride
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


class ContractRenewalCardTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support", end_date=datetime.date(2027, 6, 30), owner=self.owner)
        self.url = self.contract.get_absolute_url()

    def test_every_user_sees_card(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertContains(response, 'id="contract-renewal"')
                self.assertContains(response, "follow the renewal rules")

    def test_shows_override(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.CUSTOM_DAYS, days_before=[60, 14])
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "60, 14 days before the end date")

    def test_shows_switched_off(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.OFF)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "off for this contract")

    def test_links_renewal_opportunity(self):
        renewal = make_opportunity(self.account, "Renewal of Support", stage=stage("Qualification"))
        RenewalOpportunity.objects.create(contract=self.contract, opportunity=renewal, end_date=self.contract.end_date)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{renewal.get_absolute_url()}">Renewal of Support</a> · Qualification', html=False)

    def test_deleted_renewal_not_shown(self):
        RenewalOpportunity.objects.create(contract=self.contract, opportunity=None, end_date=self.contract.end_date)
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "None yet.")

    def test_expired_notice(self):
        self.login(self.owner)

        with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 7, 1)):
            response = self.client.get(self.url)

        self.assertContains(response, "Still active after its end date")
