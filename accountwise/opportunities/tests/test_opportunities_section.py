from decimal import Decimal

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.core.models import Organisation
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.opportunities.models import BuyingRole
from accountwise.opportunities.sections import opportunities_section_context
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_opportunity_contact,
    make_plan,
    stage,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunitiesSectionTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("opportunities:section", args=[self.account.pk])

    def _section(self, query: str = "") -> dict:
        self.login(self.owner)
        response = self.client.get(f"{self.url}{query}", **HTMX)
        self.assertEqual(response.status_code, 200)
        return response.context["opportunities_section"]

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "opportunities/_opportunities_section.html")

    def test_totals_hand_computed(self):
        make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("1000.00"))
        make_opportunity(self.account, stage=stage("Qualification"), value=Decimal("500.00"))
        make_opportunity(self.account, stage=stage("won"), value=Decimal("8000.00"))
        make_opportunity(make_account("Globex"), stage=stage("Proposal"), value=Decimal("3000.00"))
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        totals = response.context["opportunities_section"]["summary"]["totals"]
        self.assertEqual(totals["count"], 2)
        self.assertEqual(totals["total_value"], Decimal("1500.00"))
        self.assertEqual(totals["estimated_value"], Decimal("700.00"))
        self.assertContains(response, "<strong>2</strong> active opportunities", html=False)
        self.assertContains(response, "$1,500.00")
        self.assertContains(response, "$700.00")

    def test_active_by_default(self):
        active = make_opportunity(self.account, stage=stage("Proposal"))
        make_opportunity(self.account, stage=stage("on_hold"))

        section = self._section()

        self.assertEqual(section["status"], "active")
        self.assertEqual(section["opportunities"], [active])

    def test_status_filters(self):
        by_status = {
            "active": make_opportunity(self.account, stage=stage("Prospecting")),
            "on_hold": make_opportunity(self.account, stage=stage("on_hold")),
            "closed_won": make_opportunity(self.account, stage=stage("won")),
            "closed_lost": make_opportunity(self.account, stage=stage("lost")),
        }
        for status, opportunity in by_status.items():
            with self.subTest(status=status):
                section = self._section(f"?opportunities={status}")

                self.assertEqual(section["opportunities"], [opportunity])
                self.assertEqual(section["summary"]["totals"]["count"], 1)

    def test_all_filter(self):
        make_opportunity(self.account, stage=stage("Prospecting"), value=Decimal("100.00"))
        make_opportunity(self.account, stage=stage("lost"), value=Decimal("50.00"))

        section = self._section("?opportunities=all")

        self.assertEqual(len(section["opportunities"]), 2)
        self.assertEqual(section["summary"]["totals"]["total_value"], Decimal("150.00"))
        self.assertEqual(section["summary"]["totals"]["estimated_value"], Decimal("10.00"))

    def test_unknown_filter_falls_back(self):
        section = self._section("?opportunities=everything")

        self.assertEqual(section["status"], "active")

    def test_empty_states_per_status(self):
        self.login(self.owner)
        expected = {
            "active": "No active opportunities.",
            "on_hold": "No opportunities on hold.",
            "closed_won": "No won opportunities yet.",
            "closed_lost": "No lost opportunities.",
            "all": "No opportunities yet.",
        }
        for status, text in expected.items():
            with self.subTest(status=status):
                response = self.client.get(f"{self.url}?opportunities={status}", **HTMX)

                self.assertContains(response, text)

    def test_header_listens_for_changes(self):
        self.login(self.owner)

        response = self.client.get(f"{self.url}?opportunities=on_hold", **HTMX)

        summary_url = reverse("opportunities:summary", args=[self.account.pk])
        self.assertContains(response, f'hx-get="{summary_url}?opportunities=on_hold"')
        self.assertContains(response, 'hx-trigger="opportunities-changed from:body"')

    def test_won_row_offers_contract(self):
        opportunity = make_opportunity(self.account, stage=stage("won"))
        self.login(self.owner)

        response = self.client.get(f"{self.url}?opportunities=closed_won", **HTMX)

        self.assertContains(response, reverse("opportunities:create-contract", args=[opportunity.pk]))

    def test_won_row_links_contract(self):
        opportunity = make_opportunity(self.account, stage=stage("won"))
        contract = make_contract(self.account, opportunity=opportunity)
        self.login(self.owner)

        response = self.client.get(f"{self.url}?opportunities=closed_won", **HTMX)

        self.assertContains(response, contract.get_absolute_url())
        self.assertNotContains(response, reverse("opportunities:create-contract", args=[opportunity.pk]))

    def test_rows_list_contacts(self):
        opportunity = make_opportunity(self.account, "Plant rollout")
        contact = make_contact(self.account, "Coyote", first_name="Wile")
        make_opportunity_contact(opportunity, contact, BuyingRole.ECONOMIC_BUYER)
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, "<th>Contacts</th>", html=True)
        self.assertContains(response, 'title="Wile Coyote: Economic buyer"')
        self.assertContains(response, reverse("opportunities:contact-remove", args=[opportunity.pk, contact.pk]))
        self.assertContains(response, reverse("opportunities:contact-add", args=[opportunity.pk]))

    def test_outsider_cannot_change_contacts(self):
        opportunity = make_opportunity(self.account, "Plant rollout")
        make_opportunity_contact(opportunity, make_contact(self.account, "Coyote", first_name="Wile"))
        self.login(self.outsider)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, 'title="Wile Coyote: Influencer"')
        self.assertNotContains(response, reverse("opportunities:contact-add", args=[opportunity.pk]))
        self.assertNotContains(response, "Remove Wile Coyote")

    def test_includes_contact_chart(self):
        contact = make_contact(self.account, "Coyote", first_name="Wile")
        make_opportunity_contact(make_opportunity(self.account, stage=stage("lost")), contact)
        self.login(self.owner)

        # The chart covers every opportunity, whatever the status filter shows.
        response = self.client.get(f"{self.url}?opportunities=active", **HTMX)

        self.assertContains(response, 'data-testid="opportunity-contact-chart"')
        rows = response.context["opportunities_section"]["contact_chart"]["rows"]
        self.assertEqual([row.full_name for row in rows], ["Wile Coyote"])

    def test_create_button_for_team_only(self):
        create_url = reverse("opportunities:create") + f"?account={self.account.pk}"

        self.login(self.outsider)
        outsider_response = self.client.get(self.url, **HTMX)
        self.login(self.admin)
        admin_response = self.client.get(self.url, **HTMX)

        self.assertNotContains(outsider_response, create_url)
        self.assertContains(admin_response, create_url)

    def test_without_htmx_redirects_to_account(self):
        self.login(self.owner)

        response = self.client.get(f"{self.url}?opportunities=closed_lost")

        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?opportunities=closed_lost#opportunities-section",
            fetch_redirect_response=False,
        )

    def test_query_count_fixed_with_contacts(self):
        Organisation.get()
        self.login(self.owner)
        first = make_opportunity(self.account)
        make_opportunity_contact(first, make_contact(self.account))
        with CaptureQueriesContext(connection) as small:
            self.client.get(f"{self.url}?opportunities=all", **HTMX)
        for index in range(6):
            opportunity = make_opportunity(self.account, stage=stage("won" if index % 2 else "Proposal"))
            for _ in range(3):
                make_opportunity_contact(opportunity, make_contact(self.account))
            make_plan(self.account, opportunity=opportunity)

        with self.assertNumQueries(len(small)):
            response = self.client.get(f"{self.url}?opportunities=all", **HTMX)

        self.assertEqual(len(response.context["opportunities_section"]["contact_chart"]["rows"]), 19)

    def test_query_count_fixed(self):
        # Session, user, account, team membership, saved filters, opportunities, their contacts,
        # totals, the opportunity contact chart, organisation, custom-field definitions.
        expected = 11
        Organisation.get()
        make_opportunity(self.account, owner=self.owner)
        self.login(self.teammate)
        with self.assertNumQueries(expected):
            self.client.get(f"{self.url}?opportunities=all", **HTMX)
        for index in range(12):
            opportunity = make_opportunity(
                self.account, owner=self.teammate, stage=stage("won" if index % 2 else "Proposal")
            )
            if index % 4 == 1:
                make_contract(self.account, opportunity=opportunity)

        with self.assertNumQueries(expected):
            response = self.client.get(f"{self.url}?opportunities=all", **HTMX)

        self.assertEqual(len(response.context["opportunities_section"]["opportunities"]), 13)

    def test_query_count_fixed_with_custom_filters(self):
        # The queries of test_query_count_fixed, plus the users that the user-type filter offers and its column shows.
        expected = 12
        make_custom_field("opportunity", "money", "budget", show_in_list=True, filterable=True)
        make_custom_field("opportunity", "user", "sponsor", show_in_list=True, filterable=True)
        query = {"opportunities": "all", "o-cf_budget_min": "100", "o-cf_sponsor": str(self.owner.pk)}
        matching = {"budget": "500.00", "sponsor": self.owner.pk}
        Organisation.get()
        make_opportunity(self.account, owner=self.owner, custom_fields=matching)
        self.login(self.teammate)
        with self.assertNumQueries(expected):
            self.client.get(self.url, query, **HTMX)
        for index in range(12):
            make_opportunity(
                self.account, owner=self.teammate, stage=stage("won" if index % 2 else "Proposal"),
                custom_fields=matching,
            )
            make_opportunity(self.account, owner=self.teammate, custom_fields={"budget": "50.00"})

        with self.assertNumQueries(expected):
            response = self.client.get(self.url, query, **HTMX)

        self.assertEqual(len(response.context["opportunities_section"]["opportunities"]), 13)

    def test_archived_account_offers_no_changes(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        section = self._section()

        self.assertFalse(section["can_change"])


class OpportunitiesSummaryTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("opportunities:summary", args=[self.account.pk])

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)

    def test_figures_for_status(self):
        make_opportunity(self.account, stage=stage("on_hold"), value=Decimal("400.00"))
        make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("1000.00"))
        self.login(self.owner)

        response = self.client.get(f"{self.url}?opportunities=on_hold", **HTMX)

        self.assertTemplateUsed(response, "opportunities/_opportunities_summary.html")
        self.assertContains(response, "<strong>1</strong> on hold opportunity", html=False)
        self.assertContains(response, "$400.00")
        self.assertContains(response, "$0.00")

    def test_without_htmx_redirects_to_account(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?opportunities=active#opportunities-section",
            fetch_redirect_response=False,
        )


class OpportunitiesSectionContextTests(BaseTestCase):
    """The context the account page includes, without the section view around it."""

    def _request(self, query: dict):
        request = RequestFactory().get(self.account.get_absolute_url(), query)
        request.htmx = False
        request.user = self.owner
        return request

    def test_collapsed_without_filter(self):
        context = opportunities_section_context(self._request({}), self.account, True)

        self.assertFalse(context["opportunities_section"]["expanded"])

    def test_expanded_with_filter(self):
        context = opportunities_section_context(self._request({"opportunities": "on_hold"}), self.account, True)

        self.assertTrue(context["opportunities_section"]["expanded"])
        self.assertEqual(context["opportunities_section"]["status"], "on_hold")

    def test_section_queries_fixed(self):
        make_opportunity(self.account)
        # Saved filters, custom-field definitions, opportunities, their contacts, totals,
        # the opportunity contact chart.
        with self.assertNumQueries(6):
            opportunities_section_context(self._request({}), self.account, True)
        for _ in range(10):
            make_opportunity(self.account, owner=self.owner)

        with self.assertNumQueries(6):
            opportunities_section_context(self._request({}), self.account, True)
