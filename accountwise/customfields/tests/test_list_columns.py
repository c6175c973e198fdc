from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity

ACCOUNTS_URL = reverse("accounts:list")


class AccountListColumnTests(BaseTestCase):
    def _define_columns(self) -> None:
        make_custom_field("account", "money", "budget", label="Budget", show_in_list=True, filterable=True)
        make_custom_field("account", "user", "sponsor", label="Sponsor", show_in_list=True, filterable=True)
        make_custom_field("account", "choice", "tier", label="Tier", choices=["Gold", "Silver"], show_in_list=True, filterable=True)
        make_custom_field("account", "date", "review", label="Review", show_in_list=True)
        make_custom_field("account", "text", "notes", label="Internal notes")

    def _add_accounts(self, count: int, prefix: str = "Row") -> None:
        for index in range(count):
            make_account(f"{prefix} {index:02}", owner=self.owner, custom_fields={
                "budget": f"{index}00.00", "sponsor": self.teammate.pk if index % 2 else self.owner.pk,
                "tier": "Gold", "review": "2027-01-31",
            })

    def _count_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(ACCOUNTS_URL)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_columns_and_cells(self):
        self._define_columns()
        self._add_accounts(1)
        self.login(self.owner)

        response = self.client.get(ACCOUNTS_URL)

        self.assertContains(response, "<th scope=\"col\" class=\"aw-number\">Budget</th>", html=True)
        self.assertContains(response, "<th scope=\"col\">Sponsor</th>", html=True)
        self.assertNotContains(response, "Internal notes")
        self.assertContains(response, "Jan 31, 2027")
        self.assertContains(response, str(self.owner))

    def test_filter_inputs_shown_for_filterable_fields(self):
        self._define_columns()
        self.login(self.owner)

        response = self.client.get(ACCOUNTS_URL)

        self.assertContains(response, 'name="cf_budget_min"')
        self.assertContains(response, 'name="cf_tier"')
        self.assertNotContains(response, 'name="cf_review_after"')

    def test_list_filtered_by_custom_fields(self):
        self._define_columns()
        self._add_accounts(3)
        self.login(self.owner)

        response = self.client.get(ACCOUNTS_URL, {"cf_budget_min": "100", "cf_sponsor": self.owner.pk})

        names = [account.name for account in response.context["page"]]
        self.assertEqual(names, ["Row 02"])
        self.assertTrue(response.context["filter"].is_narrowed)

    def test_queries_constant_in_rows_and_fields(self):
        Organisation.get()
        self.login(self.owner)
        baseline = self._count_queries()

        self._define_columns()
        self._add_accounts(2)
        few = self._count_queries()
        self._add_accounts(20, prefix="More")
        for index in range(6):
            make_custom_field("account", "text", f"extra_{index}", show_in_list=True, filterable=True)
        many = self._count_queries()

        # The user-type column and the user filter load the users once.
        self.assertEqual(few, baseline + 1)
        self.assertEqual(many, few)


class SectionColumnTests(BaseTestCase):
    def test_contract_section_columns_constant_queries(self):
        make_custom_field("contract", "user", "sponsor", label="Sponsor", show_in_list=True)
        make_custom_field("contract", "percentage", "share", label="Share", show_in_list=True)
        make_contract(self.account, custom_fields={"sponsor": self.owner.pk, "share": "12.5"})
        Organisation.get()
        self.login(self.owner)
        url = reverse("contracts:section", args=[self.account.pk])
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertContains(response, "12.5 %")
        self.assertContains(response, "<th>Sponsor</th>", html=True)

        for _ in range(10):
            make_contract(self.account, custom_fields={"sponsor": self.teammate.pk, "share": "1"})
        with CaptureQueriesContext(connection) as many:
            self.client.get(url, HTTP_HX_REQUEST="true")

        self.assertEqual(len(many), len(few))

    def test_opportunity_section_columns(self):
        make_custom_field("opportunity", "boolean", "partner", label="Partner deal", show_in_list=True)
        make_opportunity(self.account, custom_fields={"partner": False})
        self.login(self.owner)

        response = self.client.get(
            reverse("opportunities:section", args=[self.account.pk]), {"opportunities": "all"}, HTTP_HX_REQUEST="true"
        )

        self.assertContains(response, "<th>Partner deal</th>", html=True)
        self.assertContains(response, "<td>No</td>", html=True)
