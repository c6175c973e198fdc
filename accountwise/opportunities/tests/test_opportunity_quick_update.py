import json
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.opportunities.models import Stage
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunityQuickUpdateTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell", stage=stage("Proposal"))
        self.url = reverse("opportunities:quick-update", args=[self.opportunity.pk])

    def _post(self, stage_name: str, value: str):
        return self.client.post(self.url, {"stage": str(stage(stage_name).pk), "value": value}, **HTMX)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url, **HTMX)
        post_response = self._post("Negotiation", "5")

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, stage("Proposal"))

    def test_team_and_admin_may_update(self):
        for number, user in enumerate((self.owner, self.teammate, self.admin), start=1):
            with self.subTest(user=user.username):
                self.login(user)

                response = self._post("Negotiation", str(number))

                self.assertEqual(response.status_code, 200)
                self.opportunity.refresh_from_db()
                self.assertEqual(self.opportunity.value, Decimal(number))

    def test_get_returns_inline_form(self):
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        self.assertTemplateUsed(response, "opportunities/_quick_update_row.html")
        self.assertContains(response, f'id="opportunity-{self.opportunity.pk}"')
        self.assertContains(response, 'name="stage"')
        self.assertContains(response, 'name="value"')
        self.assertContains(response, 'value="1000.00"')
        self.assertIn("HX-Request", response["Vary"])

    def test_form_offers_no_retired_stage(self):
        retired = stage("Qualification")
        retired.is_retired = True
        retired.save()
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        offered = list(response.context["form"].fields["stage"].queryset)
        self.assertNotIn(retired, offered)
        self.assertEqual(len(offered), Stage.objects.count() - 1)

    def test_without_htmx_redirects_to_edit(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(
            response, reverse("opportunities:edit", args=[self.opportunity.pk]), fetch_redirect_response=False
        )

    def test_save_returns_row_and_event(self):
        self.login(self.owner)

        response = self._post("Negotiation", "2500")

        self.assertTemplateUsed(response, "opportunities/_opportunity_row.html")
        self.assertContains(response, "Negotiation")
        self.assertContains(response, "$2,500.00")
        self.assertContains(response, "$2,000.00")
        self.assertIn("opportunities-changed", json.loads(response["HX-Trigger"]))
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, stage("Negotiation"))
        self.assertEqual(self.opportunity.value, Decimal("2500.00"))

    def test_negative_value_keeps_input(self):
        self.login(self.owner)

        response = self._post("Negotiation", "-5")

        self.assertTemplateUsed(response, "opportunities/_quick_update_row.html")
        self.assertContains(response, "Enter an amount of 0 or more.")
        self.assertContains(response, 'value="-5"')
        self.assertNotIn("HX-Trigger", response)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))
        self.assertEqual(self.opportunity.stage, stage("Proposal"))

    def test_non_numeric_value_keeps_input(self):
        self.login(self.owner)

        response = self._post("Negotiation", "abc")

        self.assertContains(response, "Enter an amount in digits, such as 1500.00.")
        self.assertContains(response, 'value="abc"')
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))

    def test_too_many_digits_rejected(self):
        self.login(self.owner)

        response = self._post("Negotiation", "1000000000000")

        self.assertContains(response, "at most 12 digits")
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))

    def test_retired_stage_rejected(self):
        retired = stage("Qualification")
        retired.is_retired = True
        retired.save()
        self.login(self.owner)

        response = self._post("Qualification", "10")

        self.assertContains(response, "retired stages cannot be chosen")
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, stage("Proposal"))

    def test_won_offers_contract(self):
        self.login(self.owner)

        response = self._post("Closed won", "1000")

        self.assertContains(response, "Closed won.")
        self.assertContains(response, "Create a contract from this opportunity?")
        self.assertContains(response, reverse("opportunities:create-contract", args=[self.opportunity.pk]))

    def test_won_with_contract_links_it(self):
        contract = make_contract(self.account, "Signed", opportunity=self.opportunity)
        self.login(self.owner)

        response = self._post("Closed won", "1000")

        self.assertContains(response, "already has a contract")
        self.assertContains(response, contract.get_absolute_url())
        self.assertNotContains(response, "Create a contract from this opportunity?")

    def test_open_stage_no_offer(self):
        self.login(self.owner)

        response = self._post("Negotiation", "1000")

        self.assertNotContains(response, 'data-testid="won-offer"')

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self._post("Negotiation", "5")

        self.assertEqual(response["HX-Redirect"], self.account.get_absolute_url())
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))

