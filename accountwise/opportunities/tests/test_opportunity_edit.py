from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage


class OpportunityEditTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell", stage=stage("Proposal"), owner=self.owner)
        self.url = reverse("opportunities:edit", args=[self.opportunity.pk])

    def _data(self, **changes) -> dict:
        data = {
            "name": "Upsell analytics",
            "stage": str(stage("Negotiation").pk),
            "value": "2000",
            "close_date": "2027-09-30",
            "description": "",
            "owner": str(self.owner.pk),
        }
        data.update(changes)
        return data

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get_response = self.client.get(self.url)
        post_response = self.client.post(self.url, self._data())

        self.assertEqual(get_response.status_code, 403)
        self.assertEqual(post_response.status_code, 403)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.name, "Upsell")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, self._data(name=f"By {user.username}"))

                self.assertRedirects(response, self.opportunity.get_absolute_url(), fetch_redirect_response=False)
                self.opportunity.refresh_from_db()
                self.assertEqual(self.opportunity.name, f"By {user.username}")

    def test_edit_saves_fields(self):
        self.login(self.owner)

        self.client.post(self.url, self._data())

        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, stage("Negotiation"))
        self.assertEqual(self.opportunity.value, Decimal("2000.00"))
        self.assertEqual(str(self.opportunity.close_date), "2027-09-30")

    def test_negative_value_keeps_input(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="-20"))

        self.assertFormError(response.context["form"], "value", "Enter an amount of 0 or more.")
        self.assertContains(response, 'value="-20"')
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))

    def test_retired_current_stage_kept(self):
        current = stage("Proposal")
        current.is_retired = True
        current.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(current.pk), value="1500"))

        self.assertEqual(response.status_code, 302)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, current)
        self.assertEqual(self.opportunity.value, Decimal("1500.00"))

    def test_other_retired_stage_rejected(self):
        other = stage("Qualification")
        other.is_retired = True
        other.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(other.pk)))

        self.assertIn("stage", response.context["form"].errors)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.stage, stage("Proposal"))

    def test_moving_to_won_offers_contract(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(stage("won").pk)), follow=True)

        self.assertContains(response, "Closed won. Create a contract from this opportunity?")
        self.assertContains(response, reverse("opportunities:create-contract", args=[self.opportunity.pk]))

    def test_won_with_contract_links_it(self):
        contract = make_contract(self.account, "Existing", opportunity=self.opportunity)
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(stage("won").pk)), follow=True)

        self.assertContains(response, "already has a contract")
        self.assertContains(response, contract.get_absolute_url())
        self.assertNotContains(response, "Create a contract from this opportunity?")

    def test_staying_won_no_offer(self):
        self.opportunity.stage = stage("won")
        self.opportunity.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(stage("won").pk)), follow=True)

        self.assertNotContains(response, "Closed won. Create a contract")

    def test_redirects_to_next(self):
        self.login(self.owner)
        next_url = self.account.get_absolute_url()

        response = self.client.post(f"{self.url}?next={next_url}", self._data())

        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.name, "Upsell")

    def test_error_keeps_saved_name_in_breadcrumb(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(name=""))

        self.assertContains(response, f'<a href="{self.opportunity.get_absolute_url()}">Upsell</a>', html=True)


