"""Custom-field filters in an account's contracts and opportunities sections."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from accountwise.contracts.models import ContractStatus
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.portfolio.models import SavedFilter
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_values

HTMX = {"HTTP_HX_REQUEST": "true"}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


class SectionCustomFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_custom_field(
            "contract", "choice", "region", label="Region", choices=["North", "South"],
            show_in_list=True, filterable=True,
        )
        make_custom_field("contract", "text", "notes", label="Notes", filterable=False)
        make_custom_field("opportunity", "money", "budget", label="Budget", show_in_list=True, filterable=True)
        make_contract(cls.account, "North support", value=Decimal("100.00"), custom_fields={"region": "North"})
        make_contract(cls.account, "South support", value=Decimal("200.00"), custom_fields={"region": "South"})
        make_contract(
            cls.account, "North archived", status=ContractStatus.ARCHIVED, custom_fields={"region": "North"}
        )
        make_opportunity(
            cls.account, "Large deal", value=Decimal("9000.00"), stage=stage("Proposal"),
            custom_fields={"budget": "8000.00"},
        )
        make_opportunity(
            cls.account, "Small deal", value=Decimal("300.00"), stage=stage("Proposal"),
            custom_fields={"budget": "250.00"},
        )
        cls.contracts_url = reverse("contracts:section", args=[cls.account.pk])
        cls.opportunities_url = reverse("opportunities:section", args=[cls.account.pk])
        cls.page_url = cls.account.get_absolute_url()

    def setUp(self):
        self.login(self.owner)

    def _contracts_section(self, params: dict, current_query: str = "") -> dict:
        current_url = f"http://testserver{self.page_url}?{current_query}"
        response = self.client.get(self.contracts_url, params, HTTP_HX_CURRENT_URL=current_url, **HTMX)
        self.assertEqual(response.status_code, 200)
        return response.context["contracts_section"]

    def test_contracts_section_filters_by_choice(self):
        section = self._contracts_section({"c-cf_region": "North"})

        self.assertEqual([contract.name for contract in section["contracts"]], ["North support"])
        self.assertEqual(section["totals"], {"count": 1, "total_value": Decimal("100.00")})

    def test_opportunities_section_filters_by_range(self):
        response = self.client.get(self.opportunities_url, {"o-cf_budget_min": "5000"}, **HTMX)

        section = response.context["opportunities_section"]
        self.assertEqual([opportunity.name for opportunity in section["opportunities"]], ["Large deal"])
        self.assertEqual(section["summary"]["totals"]["total_value"], Decimal("9000.00"))
        self.assertEqual(section["summary"]["totals"]["count"], 1)

    def test_filter_keeps_status(self):
        section = self._contracts_section({"contracts": "all", "c-cf_region": "North"})

        self.assertCountEqual(
            [contract.name for contract in section["contracts"]], ["North support", "North archived"]
        )

    def test_page_shows_prefixed_inputs(self):
        response = self.client.get(self.page_url)

        self.assertContains(response, 'name="c-cf_region"')
        self.assertContains(response, 'name="o-cf_budget_min"')
        self.assertContains(response, 'name="o-cf_budget_max"')
        self.assertContains(response, 'aria-label="Budget from"')
        self.assertNotContains(response, "cf_notes")

    def test_shared_url_filters_both_sections(self):
        response = self.client.get(self.page_url, {"c-cf_region": "South", "o-cf_budget_max": "1000"})

        contracts = response.context["contracts_section"]
        opportunities = response.context["opportunities_section"]
        self.assertEqual([contract.name for contract in contracts["contracts"]], ["South support"])
        self.assertEqual([opportunity.name for opportunity in opportunities["opportunities"]], ["Small deal"])
        self.assertTrue(contracts["expanded"])
        self.assertTrue(opportunities["expanded"])
        self.assertContains(response, 'value="1000"')

    def test_filtering_one_section_keeps_the_other(self):
        self.client.get(self.opportunities_url, {"o-cf_budget_min": "5000"}, **HTMX)

        section = self._contracts_section(
            {"contracts": "active", "c-cf_region": "North"}, current_query="opportunities=all&o-cf_budget_min=5000"
        )

        self.assertEqual(
            _query(section["return_url"]),
            {"opportunities": ["all"], "o-cf_budget_min": ["5000"], "contracts": ["active"], "c-cf_region": ["North"]},
        )

    def test_section_view_pushes_page_url(self):
        response = self.client.get(
            self.contracts_url, {"contracts": "active", "c-cf_region": "North", "o-cf_budget_min": "1"},
            HTTP_HX_CURRENT_URL=f"http://testserver{self.page_url}?o-cf_budget_min=5000&c-cf_region=South",
            **HTMX,
        )

        pushed = response["HX-Push-Url"]
        self.assertEqual(urlsplit(pushed).path, self.page_url)
        self.assertEqual(
            _query(pushed), {"o-cf_budget_min": ["5000"], "contracts": ["active"], "c-cf_region": ["North"]}
        )

    def test_status_links_keep_filters(self):
        section = self._contracts_section({"c-cf_region": "North"}, current_query="o-cf_budget_min=5000")

        archived = next(link for link in section["filters"] if link["value"] == "archived")
        self.assertEqual(
            _query(archived["href"]),
            {"o-cf_budget_min": ["5000"], "c-cf_region": ["North"], "contracts": ["archived"]},
        )
        self.assertEqual(_query(archived["hx_url"]), {"c-cf_region": ["North"], "contracts": ["archived"]})
        self.assertEqual(urlsplit(archived["hx_url"]).path, self.contracts_url)

    def test_saved_filter_links_keep_filters(self):
        saved = SavedFilter.objects.create(owner=self.owner, name="Any", entity="contracts", params={})

        section = self._contracts_section({"c-cf_region": "North"})

        link = next(link for link in section["saved_filters"]["links"] if link["filter"] == saved)
        self.assertEqual(_query(link["hx_url"]), {"c-cf_region": ["North"], "contracts_filter": [str(saved.pk)]})

    def test_saved_filter_and_custom_filter_combine(self):
        saved = SavedFilter.objects.create(
            owner=self.owner, name="Large", entity="contracts", params={"value_min": ["150"]}
        )

        section = self._contracts_section({"contracts_filter": saved.pk, "c-cf_region": "South"})
        emptied = self._contracts_section({"contracts_filter": saved.pk, "c-cf_region": "North"})

        self.assertEqual([contract.name for contract in section["contracts"]], ["South support"])
        self.assertEqual(emptied["contracts"], [])

    def test_clear_link_drops_own_filters_only(self):
        section = self._contracts_section(
            {"contracts": "all", "c-cf_region": "North"}, current_query="o-cf_budget_min=5000"
        )

        clear = section["filter_form"]["clear"]
        self.assertEqual(_query(clear["href"]), {"o-cf_budget_min": ["5000"], "contracts": ["all"]})
        self.assertEqual(_query(clear["hx_url"]), {"contracts": ["all"]})

    def test_no_clear_link_without_filters(self):
        section = self._contracts_section({"contracts": "all"})

        self.assertIsNone(section["filter_form"]["clear"])

    def test_form_sends_the_rest_of_the_page(self):
        section = self._contracts_section(
            {"contracts": "archived", "c-cf_region": "North"}, current_query="opportunities=all&o-cf_budget_min=5000"
        )

        self.assertCountEqual(
            section["filter_form"]["hidden"],
            [("opportunities", "all"), ("o-cf_budget_min", "5000"), ("contracts", "archived")],
        )

    def test_invalid_bound_is_named_and_kept(self):
        response = self.client.get(self.opportunities_url, {"o-cf_budget_min": "lots"}, **HTMX)

        self.assertContains(response, "<strong>Budget:</strong> Enter a number.", html=False)
        self.assertContains(response, "That filter is ignored until you correct it.")
        self.assertContains(response, 'value="lots"')
        self.assertEqual(len(response.context["opportunities_section"]["opportunities"]), 2)

    def test_unknown_choice_is_named(self):
        response = self.client.get(self.contracts_url, {"c-cf_region": "Nowhere"}, **HTMX)

        self.assertContains(response, "<strong>Region:</strong> Select a valid choice.", html=False)
        self.assertEqual(len(response.context["contracts_section"]["contracts"]), 2)

    def test_empty_state_names_the_filters(self):
        response = self.client.get(
            self.opportunities_url, {"o-cf_budget_min": "1", "o-cf_budget_max": "2"}, **HTMX
        )

        self.assertContains(response, "No active opportunities match these filters.")

    def test_export_links_carry_filters(self):
        section = self._contracts_section({"contracts": "all", "c-cf_region": "North"})

        self.assertEqual(_query(f"?{section['query']}"), {"contracts": ["all"], "c-cf_region": ["North"]})
        response = self.client.get(self.contracts_url, {"contracts": "all", "c-cf_region": "North"}, **HTMX)
        export_url = reverse("transfer:export-contracts", args=[self.account.pk, "xlsx"])
        self.assertContains(response, f'href="{export_url}?contracts=all&amp;c-cf_region=North"')

    def test_contracts_export_holds_filtered_rows(self):
        response = self.client.get(
            reverse("transfer:export-contracts", args=[self.account.pk, "csv"]),
            {"contracts": "all", "c-cf_region": "North"},
        )

        rows = csv_rows(content_of(response))
        self.assertCountEqual(column(rows, "Name"), ["North support", "North archived"])
        self.assertEqual(set(column(rows, "Region")), {"North"})

    def test_opportunities_export_holds_filtered_rows(self):
        response = self.client.get(
            reverse("transfer:export-opportunities", args=[self.account.pk, "xlsx"]),
            {"opportunities": "active", "o-cf_budget_max": "1000"},
        )

        self.assertEqual(column(xlsx_values(content_of(response)), "Name"), ["Small deal"])

    def test_summary_view_follows_filters(self):
        response = self.client.get(
            reverse("opportunities:summary", args=[self.account.pk]),
            {"opportunities": "active", "o-cf_budget_min": "5000"}, **HTMX,
        )

        self.assertEqual(response.context["summary"]["totals"]["count"], 1)
        self.assertIn("o-cf_budget_min=5000", response.context["summary"]["query"])

    def test_archive_keeps_filters(self):
        north = self.account.contracts.get(name="North support")
        section = self._contracts_section({"c-cf_region": "North"})
        self.assertIn("c-cf_region=North", section["query"])

        response = self.client.post(
            f"{reverse('contracts:archive', args=[north.pk])}?{section['query']}",
            HTTP_HX_CURRENT_URL=f"http://testserver{self.page_url}?c-cf_region=North",
            **HTMX,
        )

        refreshed = response.context["contracts_section"]
        self.assertEqual(refreshed["contracts"], [])
        self.assertContains(response, "No active contracts match these filters.")

    def test_without_htmx_redirects_with_filters(self):
        response = self.client.get(self.opportunities_url, {"opportunities": "all", "o-cf_budget_min": "5000"})

        self.assertRedirects(
            response,
            f"{self.page_url}?opportunities=all&o-cf_budget_min=5000#opportunities-section",
            fetch_redirect_response=False,
        )
