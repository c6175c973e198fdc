import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import AccountStatus
from accountwise.plans.models import Plan, PlanStatus
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contract,
    make_opportunity,
    make_plan,
)

CREATE_URL = reverse("plans:create")


def _plan_data(**changes) -> dict:
    data = {
        "name": "Grow Acme",
        "objective": "Double the installed base.",
        "owner": "",
        "status": PlanStatus.ACTIVE,
        "start_date": "2027-01-01",
        "due_date": "2027-06-30",
        "based_on": "",
    }
    data.update(changes)
    return data


class PlanCreateAccessTests(BaseTestCase):
    def setUp(self):
        self.url = f"{CREATE_URL}?account={self.account.pk}"

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, _plan_data())

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.assertFalse(Plan.objects.exists())

    def test_team_and_admin_may_create(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, _plan_data(name=f"By {user.username}"))

                plan = Plan.objects.get(name=f"By {user.username}")
                self.assertRedirects(response, plan.get_absolute_url(), fetch_redirect_response=False)

    def test_missing_account_not_found(self):
        self.login(self.owner)

        self.assertEqual(self.client.get(f"{CREATE_URL}?account=99999").status_code, 404)
        self.assertEqual(self.client.get(f"{CREATE_URL}?account=abc").status_code, 404)
        self.assertEqual(self.client.get(f"{CREATE_URL}?contract=99999").status_code, 404)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, _plan_data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(Plan.objects.exists())


class PlanCreateForAccountTests(BaseTestCase):
    def setUp(self):
        self.url = f"{CREATE_URL}?account={self.account.pk}"
        self.login(self.owner)

    def test_saves_all_fields(self):
        response = self.client.post(self.url, _plan_data(owner=self.teammate.pk), follow=True)

        plan = Plan.objects.get()
        self.assertEqual(plan.account, self.account)
        self.assertEqual(plan.name, "Grow Acme")
        self.assertEqual(plan.objective, "Double the installed base.")
        self.assertEqual(plan.owner, self.teammate)
        self.assertEqual(plan.status, PlanStatus.ACTIVE)
        self.assertEqual(plan.start_date, datetime.date(2027, 1, 1))
        self.assertEqual(plan.due_date, datetime.date(2027, 6, 30))
        self.assertIsNone(plan.based_on)
        self.assertContains(response, "Plan Grow Acme created. Add the actions that will achieve it.")

    def test_owner_defaults_to_user(self):
        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["owner"].value(), self.owner.pk)

    def test_can_choose_basis(self):
        contract = make_contract(self.account, "Support 2027")

        self.client.post(self.url, _plan_data(based_on=f"contract-{contract.pk}"))

        self.assertEqual(Plan.objects.get().contract, contract)

    def test_basis_choices_of_account_without_plan(self):
        free_contract = make_contract(self.account, "Free contract")
        taken = make_contract(self.account, "Taken contract")
        make_plan(self.account, contract=taken)
        opportunity = make_opportunity(self.account, "Free deal")
        make_contract(make_account("Globex"), "Globex contract")

        response = self.client.get(self.url)

        choices = response.context["form"].fields["based_on"].choices
        self.assertEqual(
            choices,
            [
                ("", "Nothing: a plan of its own"),
                ("Contracts", [(f"contract-{free_contract.pk}", "Free contract")]),
                ("Opportunities", [(f"opportunity-{opportunity.pk}", "Free deal")]),
            ],
        )

    def test_other_accounts_basis_rejected(self):
        globex_contract = make_contract(make_account("Globex"), "Globex contract")

        response = self.client.post(self.url, _plan_data(based_on=f"contract-{globex_contract.pk}"))

        self.assertIn("based_on", response.context["form"].errors)
        self.assertFalse(Plan.objects.exists())

    def test_objective_required(self):
        response = self.client.post(self.url, _plan_data(objective="", name="Kept name"))

        self.assertEqual(
            response.context["form"].errors["objective"], ["Enter the objective: what the plan should achieve."]
        )
        self.assertContains(response, 'value="Kept name"')
        self.assertFalse(Plan.objects.exists())

    def test_due_before_start_rejected(self):
        response = self.client.post(self.url, _plan_data(start_date="2027-02-01", due_date="2027-01-01"))

        self.assertEqual(
            response.context["form"].errors["due_date"],
            ["The due date is before the start date; choose a later due date."],
        )
        self.assertFalse(Plan.objects.exists())


class PlanCreateFromContractTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(
            self.account, "Plant rollout", value=Decimal("42000.00"), owner=self.teammate,
            end_date=timezone.localdate() + datetime.timedelta(days=200),
        )
        self.url = f"{CREATE_URL}?contract={self.contract.pk}"
        self.login(self.owner)

    def test_prefilled_from_contract(self):
        response = self.client.get(self.url)

        form = response.context["form"]
        self.assertEqual(form["name"].value(), "Plan for Plant rollout")
        self.assertEqual(
            form["objective"].value(),
            "Deliver Plant rollout ($42,000.00) to the customer's satisfaction and prepare its renewal.",
        )
        self.assertEqual(form["owner"].value(), self.teammate.pk)
        self.assertEqual(form["start_date"].value(), timezone.localdate())
        self.assertEqual(form["due_date"].value(), self.contract.end_date)
        self.assertEqual(form["based_on"].value(), f"contract-{self.contract.pk}")
        self.assertContains(response, "Create a plan based on this contract")

    def test_description_becomes_objective(self):
        self.contract.description = "Line monitoring in three plants."
        self.contract.save()

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["objective"].value(), "Line monitoring in three plants.")

    def test_past_end_date_not_due(self):
        self.contract.start_date = datetime.date(2020, 1, 1)
        self.contract.end_date = datetime.date(2020, 12, 31)
        self.contract.save()

        response = self.client.get(self.url)

        self.assertIsNone(response.context["form"]["due_date"].value())

    def test_saving_links_contract(self):
        data = _plan_data(based_on=f"contract-{self.contract.pk}")

        response = self.client.post(self.url, data)

        plan = Plan.objects.get()
        self.assertEqual(plan.contract, self.contract)
        self.assertIsNone(plan.opportunity)
        self.assertRedirects(response, plan.get_absolute_url(), fetch_redirect_response=False)

    def test_existing_plan_opened_instead(self):
        existing = make_plan(self.account, "Existing", contract=self.contract)

        response = self.client.get(self.url, follow=True)

        self.assertRedirects(response, existing.get_absolute_url())
        self.assertContains(response, "Plant rollout already has a plan: Existing.")

    def test_taken_basis_rejected(self):
        make_plan(self.account, "Existing", contract=self.contract)

        response = self.client.post(
            f"{CREATE_URL}?account={self.account.pk}", _plan_data(based_on=f"contract-{self.contract.pk}")
        )

        self.assertEqual(
            response.context["form"].errors["based_on"],
            ["Choose one of the listed contracts or opportunities; each can have one plan only."],
        )
        self.assertEqual(Plan.objects.count(), 1)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        self.assertEqual(self.client.get(self.url).status_code, 403)


class PlanCreateFromOpportunityTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(
            self.account, "Analytics upsell", value=Decimal("18000.00"), owner=self.teammate,
            close_date=timezone.localdate() + datetime.timedelta(days=30),
        )
        self.url = f"{CREATE_URL}?opportunity={self.opportunity.pk}"
        self.login(self.owner)

    def test_prefilled_from_opportunity(self):
        response = self.client.get(self.url)

        form = response.context["form"]
        close = self.opportunity.close_date
        self.assertEqual(form["name"].value(), "Plan for Analytics upsell")
        self.assertEqual(
            form["objective"].value(),
            f"Win Analytics upsell ($18,000.00) by {close:%b} {close.day}, {close.year}.",
        )
        self.assertEqual(form["owner"].value(), self.teammate.pk)
        self.assertEqual(form["due_date"].value(), close)
        self.assertEqual(form["based_on"].value(), f"opportunity-{self.opportunity.pk}")

    def test_saving_links_opportunity(self):
        self.client.post(self.url, _plan_data(based_on=f"opportunity-{self.opportunity.pk}"))

        plan = Plan.objects.get()
        self.assertEqual(plan.opportunity, self.opportunity)
        self.assertIsNone(plan.contract)


class PlanCreateNewMenuTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_menu_offers_plan(self):
        response = self.client.get(reverse("core:home"), follow=True)

        menu_item = f'<a class="dropdown-item" href="{CREATE_URL}"><i class="bi bi-flag me-2"></i>Plan</a>'
        self.assertContains(response, menu_item, html=True)

    def test_chooses_account(self):
        make_account("Globex")  # Not the owner's, so not offered.

        response = self.client.get(CREATE_URL)

        form = response.context["form"]
        self.assertEqual(list(form.fields["account"].queryset), [self.account])
        self.assertNotIn("based_on", form.fields)

    def test_creates_on_chosen_account(self):
        response = self.client.post(CREATE_URL, _plan_data(account=self.account.pk))

        plan = Plan.objects.get()
        self.assertEqual(plan.account, self.account)
        self.assertRedirects(response, plan.get_absolute_url(), fetch_redirect_response=False)

    def test_account_required(self):
        response = self.client.post(CREATE_URL, _plan_data())

        self.assertEqual(response.context["form"].errors["account"], ["Choose the account this belongs to."])
        self.assertFalse(Plan.objects.exists())

    def test_no_accounts_explains(self):
        self.login(self.outsider)

        response = self.client.get(CREATE_URL)

        self.assertContains(response, "You can add plans only to accounts you own or are on the team of")
