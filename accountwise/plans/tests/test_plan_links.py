"""A plan and the contract or opportunity it is based on link to each other."""

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.opportunities.models import OpportunityStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, make_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContractRowPlanLinkTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Plant rollout")
        self.section_url = reverse("contracts:section", args=[self.account.pk])
        self.create_url = f"{reverse('plans:create')}?contract={self.contract.pk}"
        self.login(self.owner)

    def test_offers_create_without_plan(self):
        response = self.client.get(self.section_url, **HTMX)

        self.assertContains(response, f'href="{self.create_url}" title="Create a plan based on this contract"')
        self.assertNotContains(response, "View or edit plan")

    def test_offers_view_with_plan(self):
        plan = make_plan(self.account, "Grow", contract=self.contract)

        response = self.client.get(self.section_url, **HTMX)

        self.assertContains(response, f'href="{plan.get_absolute_url()}" title="View or edit plan"')
        self.assertNotContains(response, self.create_url)

    def test_outsider_sees_plan_only(self):
        self.login(self.outsider)
        without_plan = self.client.get(self.section_url, **HTMX)
        plan = make_plan(self.account, "Grow", contract=self.contract)
        with_plan = self.client.get(self.section_url, **HTMX)

        self.assertNotContains(without_plan, self.create_url)
        self.assertContains(with_plan, plan.get_absolute_url())

    def test_archived_account_no_create(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.section_url, **HTMX)

        self.assertNotContains(response, self.create_url)

    def test_contract_page_links_plan(self):
        plan = make_plan(self.account, "Grow", contract=self.contract)

        response = self.client.get(self.contract.get_absolute_url())

        link = f'<a href="{plan.get_absolute_url()}"><i class="bi bi-flag-fill"></i> Grow</a>'
        self.assertContains(response, link, html=True)

    def test_contract_page_offers_create(self):
        response = self.client.get(self.contract.get_absolute_url())

        self.assertContains(response, "Create a plan based on this contract</a>")


class OpportunityRowPlanLinkTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell")
        section_url = reverse("opportunities:section", args=[self.account.pk])
        self.section_url = f"{section_url}?opportunities={OpportunityStatus.ACTIVE}"
        self.create_url = f"{reverse('plans:create')}?opportunity={self.opportunity.pk}"
        self.login(self.owner)

    def test_offers_create_without_plan(self):
        response = self.client.get(self.section_url, **HTMX)

        self.assertContains(response, f'href="{self.create_url}" title="Create a plan based on this opportunity"')

    def test_offers_view_with_plan(self):
        plan = make_plan(self.account, "Win it", opportunity=self.opportunity)

        response = self.client.get(self.section_url, **HTMX)

        self.assertContains(response, f'href="{plan.get_absolute_url()}" title="View or edit plan"')
        self.assertNotContains(response, self.create_url)

    def test_row_view_shows_plan(self):
        plan = make_plan(self.account, "Win it", opportunity=self.opportunity)

        response = self.client.get(reverse("opportunities:row", args=[self.opportunity.pk]), **HTMX)

        self.assertContains(response, plan.get_absolute_url())

    def test_opportunity_page_links_plan(self):
        plan = make_plan(self.account, "Win it", opportunity=self.opportunity)

        response = self.client.get(self.opportunity.get_absolute_url())

        link = f'<a href="{plan.get_absolute_url()}"><i class="bi bi-flag-fill"></i> Win it</a>'
        self.assertContains(response, link, html=True)

    def test_plan_page_links_back(self):
        plan = make_plan(self.account, "Win it", opportunity=self.opportunity)

        response = self.client.get(plan.get_absolute_url())

        self.assertContains(response, f'href="{self.opportunity.get_absolute_url()}" data-testid="plan-basis"')
