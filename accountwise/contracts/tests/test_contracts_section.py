from decimal import Decimal

from django.test import RequestFactory
from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.contracts.models import ContractStatus
from accountwise.contracts.sections import contracts_section_context
from accountwise.core.models import Organisation
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_account, make_contract

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContractsSectionTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("contracts:section", args=[self.account.pk])

    def _section(self, query: str = "", user=None) -> dict:
        self.login(user or self.owner)
        response = self.client.get(f"{self.url}{query}", **HTMX)
        self.assertEqual(response.status_code, 200)
        return response.context["contracts_section"]

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "contracts/_contracts_section.html")

    def test_missing_account_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("contracts:section", args=[999999]), **HTMX)

        self.assertEqual(response.status_code, 404)

    def test_totals_of_active_contracts(self):
        make_contract(self.account, value=Decimal("1000.00"))
        make_contract(self.account, value=Decimal("500.50"))
        make_contract(self.account, value=None)
        make_contract(self.account, value=Decimal("9999.00"), status=ContractStatus.ARCHIVED)
        make_contract(make_account("Globex"), value=Decimal("7000.00"))

        section = self._section()

        self.assertEqual(section["totals"], {"count": 3, "total_value": Decimal("1500.50")})

    def test_header_shows_count_and_total(self):
        make_contract(self.account, value=Decimal("1000.00"))
        make_contract(self.account, value=Decimal("500.00"))
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, "<strong>2</strong> active contracts", html=False)
        self.assertContains(response, "$1,500.00")

    def test_active_by_default(self):
        active = make_contract(self.account, "Running")
        make_contract(self.account, "Done", status=ContractStatus.ARCHIVED)

        section = self._section()

        self.assertEqual(section["status"], "active")
        self.assertEqual(section["contracts"], [active])

    def test_archived_filter(self):
        make_contract(self.account, "Running")
        done = make_contract(self.account, "Done", value=Decimal("250.00"), status=ContractStatus.ARCHIVED)

        section = self._section("?contracts=archived")

        self.assertEqual(section["contracts"], [done])
        self.assertEqual(section["totals"]["total_value"], Decimal("250.00"))

    def test_all_filter(self):
        running = make_contract(self.account, "Running")
        done = make_contract(self.account, "Done", status=ContractStatus.ARCHIVED)

        section = self._section("?contracts=all")

        self.assertCountEqual(section["contracts"], [running, done])
        self.assertEqual(section["totals"]["count"], 2)

    def test_unknown_filter_falls_back(self):
        make_contract(self.account, "Done", status=ContractStatus.ARCHIVED)

        section = self._section("?contracts=bogus")

        self.assertEqual(section["status"], "active")
        self.assertEqual(section["contracts"], [])

    def test_empty_states_per_status(self):
        self.login(self.owner)
        expected = {
            "active": "No active contracts.",
            "archived": "No archived contracts.",
            "all": "No contracts yet.",
        }
        for status, text in expected.items():
            with self.subTest(status=status):
                response = self.client.get(f"{self.url}?contracts={status}", **HTMX)

                self.assertContains(response, text)
                self.assertContains(response, 'class="aw-empty"')

    def test_create_button_for_team_only(self):
        create_url = reverse("contracts:create") + f"?account={self.account.pk}"
        make_contract(self.account)

        self.login(self.outsider)
        outsider_response = self.client.get(self.url, **HTMX)
        self.login(self.teammate)
        teammate_response = self.client.get(self.url, **HTMX)

        self.assertNotContains(outsider_response, create_url)
        self.assertContains(teammate_response, create_url)

    def test_row_actions_for_team_only(self):
        contract = make_contract(self.account)
        archive_url = reverse("contracts:archive", args=[contract.pk])

        self.login(self.outsider)
        outsider_response = self.client.get(self.url, **HTMX)
        self.login(self.owner)
        owner_response = self.client.get(self.url, **HTMX)

        self.assertNotContains(outsider_response, archive_url)
        self.assertContains(owner_response, archive_url)
        self.assertContains(owner_response, reverse("contracts:edit", args=[contract.pk]))

    def test_archived_row_offers_restore(self):
        contract = make_contract(self.account, status=ContractStatus.ARCHIVED)
        self.login(self.owner)

        response = self.client.get(f"{self.url}?contracts=archived", **HTMX)

        self.assertContains(response, reverse("contracts:restore", args=[contract.pk]))
        self.assertNotContains(response, reverse("contracts:archive", args=[contract.pk]))

    def test_filter_links_keep_page_query(self):
        account_url = self.account.get_absolute_url()
        self.login(self.owner)

        response = self.client.get(
            f"{self.url}?contracts=active",
            HTTP_HX_CURRENT_URL=f"http://testserver{account_url}?opportunities=closed_won",
            **HTMX,
        )

        archived = next(link for link in response.context["contracts_section"]["filters"] if link["value"] == "archived")
        self.assertEqual(archived["href"], f"{account_url}?opportunities=closed_won&contracts=archived")
        self.assertEqual(archived["hx_url"], f"{self.url}?contracts=archived")

    def test_htmx_section_is_expanded(self):
        section = self._section()

        self.assertTrue(section["expanded"])

    def test_without_htmx_redirects_to_account(self):
        self.login(self.owner)

        response = self.client.get(f"{self.url}?contracts=archived")

        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?contracts=archived#contracts-section",
            fetch_redirect_response=False,
        )
        self.assertIn("HX-Request", response["Vary"])

    def test_query_count_fixed(self):
        # Session, user, account, team membership, saved filters, contracts, totals, organisation,
        # custom-field definitions.
        expected = 9
        Organisation.get()
        self.login(self.teammate)
        make_contract(self.account, owner=self.owner)
        with self.assertNumQueries(expected):
            self.client.get(self.url, **HTMX)
        for index in range(12):
            make_contract(self.account, owner=self.teammate if index % 2 else self.owner)

        with self.assertNumQueries(expected):
            response = self.client.get(self.url, **HTMX)

        self.assertEqual(len(response.context["contracts_section"]["contracts"]), 13)

    def test_query_count_fixed_with_custom_filters(self):
        # The queries of test_query_count_fixed, plus the users that the user-type filter offers and its column shows.
        expected = 10
        make_custom_field("contract", "choice", "region", choices=["North"], show_in_list=True, filterable=True)
        make_custom_field("contract", "user", "sponsor", show_in_list=True, filterable=True)
        query = {"c-cf_region": "North", "c-cf_sponsor": str(self.owner.pk)}
        matching = {"region": "North", "sponsor": self.owner.pk}
        Organisation.get()
        self.login(self.teammate)
        make_contract(self.account, owner=self.owner, custom_fields=matching)
        with self.assertNumQueries(expected):
            self.client.get(self.url, query, **HTMX)
        for _ in range(12):
            make_contract(self.account, owner=self.teammate, custom_fields=matching)
            make_contract(self.account, owner=self.teammate, custom_fields={"region": "South"})

        with self.assertNumQueries(expected):
            response = self.client.get(self.url, query, **HTMX)

        self.assertEqual(len(response.context["contracts_section"]["contracts"]), 13)

    def test_archived_account_offers_no_changes(self):
        make_contract(self.account)
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        section = self._section()

        self.assertFalse(section["can_change"])


class ContractsSectionContextTests(BaseTestCase):
    """The context the account page includes, without the section view around it."""

    def _request(self, query: dict):
        request = RequestFactory().get(self.account.get_absolute_url(), query)
        request.htmx = False
        request.user = self.owner
        return request

    def test_collapsed_without_filter(self):
        context = contracts_section_context(self._request({}), self.account, True)

        self.assertFalse(context["contracts_section"]["expanded"])

    def test_expanded_with_filter(self):
        context = contracts_section_context(self._request({"contracts": "archived"}), self.account, True)

        self.assertTrue(context["contracts_section"]["expanded"])
        self.assertEqual(context["contracts_section"]["status"], "archived")

    def test_return_url_is_account_page(self):
        context = contracts_section_context(self._request({"contracts": "all"}), self.account, False)

        self.assertEqual(
            context["contracts_section"]["return_url"],
            f"{self.account.get_absolute_url()}?contracts=all#contracts-section",
        )

    def test_section_queries_fixed(self):
        make_contract(self.account)
        # Saved filters, custom-field definitions, contracts, totals. Outside a
        # request the definitions are not cached, so the template would read them again.
        with self.assertNumQueries(4):
            contracts_section_context(self._request({}), self.account, True)
        for _ in range(10):
            make_contract(self.account, owner=self.owner)

        with self.assertNumQueries(4):
            contracts_section_context(self._request({}), self.account, True)
