import datetime

from django.urls import reverse

from accountwise.accounts.models import Account, AccountStatus, AccountType
from accountwise.contracts.models import ContractStatus
from accountwise.core.models import Organisation
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contract,
    make_opportunity,
    make_user,
    stage,
)

URL = reverse("accounts:list")


def _names(response) -> list[str]:
    return [account.name for account in response.context["page"]]


class AccountListTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Acme Corporation")

    def test_hides_archived_by_default(self):
        make_account("Old Customer", status=AccountStatus.ARCHIVED)

        response = self.client.get(URL)

        self.assertEqual(_names(response), ["Acme Corporation"])

    def test_archived_filter(self):
        make_account("Old Customer", status=AccountStatus.ARCHIVED)

        response = self.client.get(URL, {"status": "archived"})

        self.assertEqual(_names(response), ["Old Customer"])
        self.assertContains(response, "Archived</span>")

    def test_all_statuses_filter(self):
        make_account("Old Customer", status=AccountStatus.ARCHIVED)

        response = self.client.get(URL, {"status": "all"})

        self.assertEqual(_names(response), ["Acme Corporation", "Old Customer"])

    def test_unknown_status_shows_active(self):
        make_account("Old Customer", status=AccountStatus.ARCHIVED)

        response = self.client.get(URL, {"status": "deleted"})

        self.assertEqual(_names(response), ["Acme Corporation"])

    def test_type_filter(self):
        make_account("Globex", type=AccountType.STRATEGIC)

        response = self.client.get(URL, {"type": "strategic"})

        self.assertEqual(_names(response), ["Globex"])

    def test_search_by_name_industry_country(self):
        make_account("Globex", industry="Aerospace", country="Germany")
        make_account("Initech", industry="Software", country="France")

        for text, expected in [("glob", ["Globex"]), ("aero", ["Globex"]), ("france", ["Initech"])]:
            with self.subTest(text=text):
                response = self.client.get(URL, {"q": text})
                self.assertEqual(_names(response), expected)

    def test_search_keeps_typed_text(self):
        response = self.client.get(URL, {"q": "acme"})

        self.assertContains(response, 'value="acme"')

    def test_sort_by_owner_both_directions(self):
        make_account("Globex", owner=make_user("zoe", first_name="Zoe"))
        make_account("Initech", owner=self.admin)

        ascending = self.client.get(URL, {"sort": "owner"})
        descending = self.client.get(URL, {"sort": "-owner"})

        self.assertEqual(_names(ascending), ["Initech", "Acme Corporation", "Globex"])
        self.assertEqual(_names(descending), ["Globex", "Acme Corporation", "Initech"])

    def test_sort_by_name_ignores_case(self):
        make_account("beta Industries")
        make_account("Zeta")

        response = self.client.get(URL, {"sort": "-name"})

        self.assertEqual(_names(response), ["Zeta", "beta Industries", "Acme Corporation"])

    def test_sort_by_updated_newest_first(self):
        make_account("Globex")
        Account.objects.filter(name="Globex").update(
            updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        )

        response = self.client.get(URL, {"sort": "-updated"})

        self.assertEqual(_names(response), ["Acme Corporation", "Globex"])

    def test_unknown_sort_uses_name(self):
        make_account("Zeta")
        make_account("Beta")

        response = self.client.get(URL, {"sort": "password"})

        self.assertEqual(_names(response), ["Acme Corporation", "Beta", "Zeta"])

    def test_sort_header_toggles_direction(self):
        response = self.client.get(URL, {"sort": "country", "q": "a"})

        columns = response.context["columns"]
        self.assertEqual(columns["country"]["sort"], "-country")
        self.assertEqual(columns["country"]["direction"], "ascending")
        self.assertEqual(columns["updated"]["sort"], "-updated")
        self.assertContains(response, 'href="?sort=-country&amp;q=a"')

    def test_counts_active_contracts_and_open_opportunities(self):
        make_contract(self.account)
        make_contract(self.account)
        make_contract(self.account, status=ContractStatus.ARCHIVED)
        make_opportunity(self.account)
        make_opportunity(self.account, stage=stage("won"))

        response = self.client.get(URL)

        account = response.context["page"][0]
        self.assertEqual(account.active_contract_count, 2)
        self.assertEqual(account.open_opportunity_count, 1)

    def test_pagination_25_per_page(self):
        for number in range(30):
            make_account(f"Bulk {number:02}")

        first = self.client.get(URL)
        second = self.client.get(URL, {"page": 2})

        self.assertEqual(len(first.context["page"]), 25)
        self.assertEqual(len(second.context["page"]), 6)
        self.assertEqual(second.context["page"][5].name, "Bulk 29")

    def test_page_links_keep_filters(self):
        for number in range(30):
            make_account(f"Bulk {number:02}", type=AccountType.STRATEGIC)

        response = self.client.get(URL, {"q": "bulk", "type": "strategic", "sort": "-name"})

        self.assertContains(response, 'href="?q=bulk&amp;type=strategic&amp;sort=-name&amp;page=2"')

    def test_out_of_range_page_shows_last(self):
        response = self.client.get(URL, {"page": 99})

        self.assertEqual(_names(response), ["Acme Corporation"])

    def test_empty_without_accounts(self):
        Account.objects.all().delete()

        response = self.client.get(URL)

        self.assertContains(response, "Create your first account")
        self.assertNotContains(response, "Clear filters")

    def test_empty_without_matches(self):
        response = self.client.get(URL, {"q": "no such account"})

        self.assertContains(response, "No accounts match these filters")
        self.assertContains(response, "Clear filters")
        self.assertNotContains(response, "Create your first account")

    def test_empty_when_all_archived(self):
        Account.objects.update(status=AccountStatus.ARCHIVED)

        response = self.client.get(URL)

        self.assertContains(response, "No active accounts")
        self.assertContains(response, "Show archived accounts")

    def test_htmx_gets_results_partial(self):
        response = self.client.get(URL, {"q": "acme"}, headers={"HX-Request": "true"})

        self.assertContains(response, "Acme Corporation")
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])

    def test_htmx_history_restore_gets_page(self):
        headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

        response = self.client.get(URL, headers=headers)

        self.assertContains(response, "<html")

    def test_full_page_varies_on_htmx(self):
        response = self.client.get(URL)

        self.assertContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])

    def test_strategic_badge_stands_out(self):
        make_account("Globex", type=AccountType.STRATEGIC)

        response = self.client.get(URL)

        self.assertContains(response, '<i class="bi bi-star-fill"></i> Strategic', count=1)


class AccountListQueryTests(BaseTestCase):
    def _populate(self, count: int) -> None:
        parent = make_account("Group holding", owner=self.admin)
        for number in range(count - 2):
            account = make_account(f"Account {number:02}", owner=self.owner, parent=parent)
            make_contract(account)
            make_opportunity(account)

    def _assert_queries_for(self, count: int) -> None:
        self._populate(count)
        self.assertEqual(Account.objects.count(), count)
        Organisation.get()  # Created on first use; a fresh database has none yet.
        self.login(self.owner)
        # Session, user, custom-field definitions, page count, page rows, organisation,
        # unread notifications for the bell, saved account filters for the account filter bar.
        with self.assertNumQueries(8):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["page"]), min(count, 25))

    def test_queries_with_two_accounts(self):
        self._assert_queries_for(2)

    def test_queries_with_thirty_accounts(self):
        self._assert_queries_for(30)
