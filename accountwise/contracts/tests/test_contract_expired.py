"""Expired contracts: still active after their end date."""

import datetime
from unittest import mock

from django.urls import reverse

from accountwise.contracts.models import Contract, ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract

TODAY = datetime.date(2027, 7, 1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _on(day: datetime.date):
    """Patch the local date, leaving the clock alone so that the session stays valid."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class ExpiredQuerySetTests(BaseTestCase):
    def test_active_past_end_date(self):
        expired = make_contract(self.account, "Old", end_date=datetime.date(2027, 6, 30))
        make_contract(self.account, "Ends today", end_date=TODAY)
        make_contract(self.account, "Running", end_date=datetime.date(2027, 12, 31))
        make_contract(self.account, "No end")
        make_contract(self.account, "Archived", end_date=datetime.date(2027, 1, 1), status=ContractStatus.ARCHIVED)

        self.assertEqual(list(Contract.objects.expired(TODAY)), [expired])

    def test_across_year_end(self):
        last_year = make_contract(self.account, "Last year", end_date=datetime.date(2027, 12, 31))

        self.assertEqual(list(Contract.objects.expired(datetime.date(2027, 12, 31))), [])
        self.assertEqual(list(Contract.objects.expired(datetime.date(2028, 1, 1))), [last_year])

    def test_leap_day(self):
        leap = make_contract(self.account, "Leap", end_date=datetime.date(2028, 2, 29))

        self.assertEqual(list(Contract.objects.expired(datetime.date(2028, 2, 29))), [])
        self.assertEqual(list(Contract.objects.expired(datetime.date(2028, 3, 1))), [leap])


class IsExpiredTests(BaseTestCase):
    def test_property_follows_local_date(self):
        contract = make_contract(self.account, "Support", end_date=datetime.date(2027, 6, 30))

        with _on(datetime.date(2027, 6, 30)):
            self.assertFalse(contract.is_expired)
        with _on(TODAY):
            self.assertTrue(contract.is_expired)

    def test_archived_not_expired(self):
        contract = make_contract(
            self.account, "Support", end_date=datetime.date(2027, 6, 30), status=ContractStatus.ARCHIVED
        )

        with _on(TODAY):
            self.assertFalse(contract.is_expired)

    def test_without_end_date(self):
        contract = make_contract(self.account, "Support")

        self.assertFalse(contract.is_expired)


class ExpiredInSectionTests(BaseTestCase):
    def setUp(self):
        self.expired = make_contract(self.account, "Old support", end_date=datetime.date(2027, 6, 30))
        self.running = make_contract(self.account, "Licences", end_date=datetime.date(2027, 12, 31))
        self.url = reverse("contracts:section", args=[self.account.pk])

    def test_badge_on_expired_row(self):
        self.login(self.owner)

        with _on(TODAY):
            response = self.client.get(self.url, **HTMX)

        self.assertContains(response, ">Expired</span>", count=1)
        self.assertContains(response, ">Active</span>", count=1)

    def test_archive_button_for_team(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                with _on(TODAY):
                    response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.context["contracts_section"]["expired_count"], 1)
                self.assertContains(response, "Archive 1 expired")
                self.assertContains(response, reverse("contracts:archive-expired", args=[self.account.pk]))

    def test_no_button_for_outsider(self):
        self.login(self.outsider)

        with _on(TODAY):
            response = self.client.get(self.url, **HTMX)

        self.assertContains(response, ">Expired</span>")
        self.assertNotContains(response, "Archive 1 expired")

    def test_no_button_without_expired(self):
        self.login(self.owner)

        with _on(datetime.date(2027, 6, 30)):
            response = self.client.get(self.url, **HTMX)

        self.assertNotContains(response, "expired")

    def test_on_account_page(self):
        make_contract(make_account("Globex"), "Elsewhere", end_date=datetime.date(2027, 1, 1))
        self.login(self.owner)

        with _on(TODAY):
            response = self.client.get(self.account.get_absolute_url())

        self.assertContains(response, "Archive 1 expired")
