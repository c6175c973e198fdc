import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_contract


class ContractEditTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(
            self.account,
            "Support",
            description="Support for all sites.",
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            owner=self.owner,
        )
        self.url = reverse("contracts:edit", args=[self.contract.pk])

    def _data(self, **changes) -> dict:
        data = {
            "name": "Support renewed",
            "description": "Support for all sites.",
            "value": "2000",
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
            "owner": str(self.teammate.pk),
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
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.name, "Support")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, self._data(name=f"Edited by {user.username}"))

                self.assertRedirects(response, self.contract.get_absolute_url(), fetch_redirect_response=False)
                self.contract.refresh_from_db()
                self.assertEqual(self.contract.name, f"Edited by {user.username}")

    def test_edit_saves_fields(self):
        self.login(self.owner)

        self.client.post(self.url, self._data())

        self.contract.refresh_from_db()
        self.assertEqual(self.contract.value, Decimal("2000.00"))
        self.assertEqual(self.contract.end_date, datetime.date(2028, 12, 31))
        self.assertEqual(self.contract.owner, self.teammate)

    def test_owner_kept_when_editing(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["owner"].value(), self.owner.pk)

    def test_archive_through_form(self):
        self.login(self.owner)

        self.client.post(self.url, self._data(status=ContractStatus.ARCHIVED))

        self.contract.refresh_from_db()
        self.assertEqual(self.contract.status, ContractStatus.ARCHIVED)

    def test_end_before_start_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(end_date="2026-12-31"))

        self.assertFormError(
            response.context["form"],
            "end_date",
            "The end date is before the start date; choose a later end date.",
        )
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.end_date, datetime.date(2027, 12, 31))

    def test_redirects_to_next(self):
        self.login(self.owner)
        next_url = f"{self.account.get_absolute_url()}?contracts=all#contracts-section"

        response = self.client.post(f"{self.url}?next={next_url}".replace("#", "%23"), self._data())

        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_foreign_next_ignored(self):
        self.login(self.owner)

        response = self.client.post(f"{self.url}?next=https://example.com/", self._data())

        self.assertRedirects(response, self.contract.get_absolute_url(), fetch_redirect_response=False)

    def test_missing_contract_not_found(self):
        self.login(self.admin)

        response = self.client.get(reverse("contracts:edit", args=[999999]))

        self.assertEqual(response.status_code, 404)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.name, "Support")

    def test_error_keeps_saved_name_in_breadcrumb(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(name=""))

        self.assertContains(response, f'<a href="{self.contract.get_absolute_url()}">Support</a>', html=True)


