import datetime
from unittest import mock

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract

TODAY = datetime.date(2027, 7, 1)


def _on(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class ArchiveExpiredTests(BaseTestCase):
    def setUp(self):
        self.old = make_contract(self.account, "Old support", end_date=datetime.date(2027, 6, 30))
        self.older = make_contract(self.account, "Old licences", end_date=datetime.date(2026, 12, 31))
        self.running = make_contract(self.account, "Hosting", end_date=datetime.date(2027, 12, 31))
        self.url = reverse("contracts:archive-expired", args=[self.account.pk])

    def _statuses(self) -> dict:
        return {contract.name: contract.status for contract in self.account.contracts.all()}

    def _post(self, contracts) -> object:
        with _on(TODAY):
            return self.client.post(self.url, {"contract": [contract.pk for contract in contracts]})

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        with _on(TODAY):
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self._post([self.old]).status_code, 403)
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, ContractStatus.ACTIVE)

    def test_team_and_admin_may_archive(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.account.contracts.update(status=ContractStatus.ACTIVE)
                self.login(user)

                self._post([self.old, self.older])

                self.old.refresh_from_db()
                self.assertEqual(self.old.status, ContractStatus.ARCHIVED)

    def test_missing_account_not_found(self):
        self.login(self.admin)

        response = self.client.get(reverse("contracts:archive-expired", args=[999999]))

        self.assertEqual(response.status_code, 404)

    def test_confirmation_lists_expired(self):
        self.login(self.owner)

        with _on(TODAY):
            response = self.client.get(self.url)

        self.assertEqual(list(response.context["contracts"]), [self.older, self.old])
        self.assertContains(response, "Archive 2 contracts")
        self.assertNotContains(response, "Hosting")

    def test_confirmation_empty_state(self):
        self.login(self.owner)

        with _on(datetime.date(2026, 12, 1)):
            response = self.client.get(self.url)

        self.assertContains(response, "has no expired contracts")

    def test_archives_and_reports(self):
        self.login(self.owner)

        response = self._post([self.old, self.older])

        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?contracts=active#contracts-section",
            fetch_redirect_response=False,
        )
        self.assertEqual(
            self._statuses(),
            {"Old support": ContractStatus.ARCHIVED, "Old licences": ContractStatus.ARCHIVED, "Hosting": ContractStatus.ACTIVE},
        )
        messages = [str(message) for message in response.wsgi_request._messages]
        self.assertEqual(messages, ["Archived 2 expired contracts."])

    def test_only_listed_contracts(self):
        self.login(self.owner)

        self._post([self.old])

        self.older.refresh_from_db()
        self.assertEqual(self.older.status, ContractStatus.ACTIVE)

    def test_running_contract_left_alone(self):
        self.login(self.owner)

        self._post([self.old, self.running])

        self.running.refresh_from_db()
        self.assertEqual(self.running.status, ContractStatus.ACTIVE)

    def test_other_accounts_contract_left_alone(self):
        elsewhere = make_contract(make_account("Globex"), "Elsewhere", end_date=datetime.date(2027, 1, 1))
        self.login(self.admin)

        self._post([self.old, elsewhere])

        elsewhere.refresh_from_db()
        self.assertEqual(elsewhere.status, ContractStatus.ACTIVE)

    def test_nothing_left_to_archive(self):
        self.login(self.owner)

        with _on(TODAY):
            response = self.client.post(self.url, follow=True)

        self.assertContains(response, "No expired contracts were left to archive.")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self._post([self.old])

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, ContractStatus.ACTIVE)
