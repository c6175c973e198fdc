import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import AccountStatus
from accountwise.opportunities.models import Opportunity, Stage
from accountwise.test import BaseTestCase, make_account, stage


class OpportunityCreateTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("opportunities:create") + f"?account={self.account.pk}"

    def _data(self, **changes) -> dict:
        data = {
            "name": "Upsell analytics",
            "stage": str(stage("Proposal").pk),
            "value": "1000",
            "close_date": "2027-06-30",
            "description": "Analytics for the EU sites.",
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
        self.assertFalse(Opportunity.objects.exists())

    def test_team_and_admin_may_create(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.post(self.url, self._data(name=f"By {user.username}"))

                self.assertEqual(response.status_code, 302)
                self.assertTrue(Opportunity.objects.filter(name=f"By {user.username}").exists())

    def test_create_saves_every_field(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        opportunity = Opportunity.objects.get()
        self.assertEqual(opportunity.account, self.account)
        self.assertEqual(opportunity.stage, stage("Proposal"))
        self.assertEqual(opportunity.value, Decimal("1000.00"))
        self.assertEqual(opportunity.close_date, datetime.date(2027, 6, 30))
        self.assertEqual(opportunity.description, "Analytics for the EU sites.")
        self.assertEqual(opportunity.owner, self.owner)
        self.assertRedirects(
            response,
            f"{self.account.get_absolute_url()}?opportunities=active#opportunities-section",
            fetch_redirect_response=False,
        )

    def test_owner_defaults_to_current_user(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertEqual(response.context["form"]["owner"].value(), self.teammate.pk)

    def test_stage_choices_in_order_without_retired(self):
        retired = stage("Qualification")
        retired.is_retired = True
        retired.save()
        self.login(self.owner)

        response = self.client.get(self.url)

        offered = list(response.context["form"].fields["stage"].queryset)
        expected = list(Stage.objects.filter(is_retired=False).order_by("position"))
        self.assertEqual(offered, expected)
        self.assertNotIn(retired, offered)

    def test_retired_stage_rejected(self):
        retired = stage("Qualification")
        retired.is_retired = True
        retired.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(retired.pk)))

        self.assertIn("retired stages cannot be chosen", response.context["form"].errors["stage"][0])
        self.assertFalse(Opportunity.objects.exists())

    def test_required_fields_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(name="", stage="", value="", close_date=""))

        form = response.context["form"]
        self.assertFormError(form, "name", "Enter a name for the opportunity.")
        self.assertFormError(form, "stage", "Choose a stage.")
        self.assertFormError(form, "value", "Enter the value, in the organisation's currency; 0 is allowed.")
        self.assertFormError(form, "close_date", "Enter the expected close date.")
        self.assertFalse(Opportunity.objects.exists())

    def test_negative_value_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="-1"))

        self.assertFormError(response.context["form"], "value", "Enter an amount of 0 or more.")
        self.assertContains(response, 'value="-1"')

    def test_non_numeric_value_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="ten"))

        self.assertFormError(response.context["form"], "value", "Enter an amount in digits, such as 1500.00.")
        self.assertContains(response, 'value="ten"')

    def test_too_many_digits_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(value="99999999999999"))

        self.assertIn("at most 12 digits", response.context["form"].errors["value"][0])
        self.assertFalse(Opportunity.objects.exists())

    def test_invalid_close_date_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(close_date="2027-13-40"))

        self.assertFormError(
            response.context["form"], "close_date", "Enter the close date as a date, such as 2027-06-30."
        )
        self.assertContains(response, 'value="Upsell analytics"')
        self.assertFalse(Opportunity.objects.exists())

    def test_created_won_offers_contract(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(stage=str(stage("won").pk)), follow=True)

        opportunity = Opportunity.objects.get()
        self.assertContains(response, "Create a contract from this opportunity?")
        self.assertContains(response, reverse("opportunities:create-contract", args=[opportunity.pk]))

    def test_created_open_no_offer(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(), follow=True)

        self.assertNotContains(response, "Create a contract from this opportunity?")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(self.url, self._data())

        self.assertRedirects(response, self.account.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(Opportunity.objects.exists())


class OpportunityCreateChooserTests(BaseTestCase):
    """The global "Create new → Opportunity", which has no account in the URL."""

    def setUp(self):
        self.url = reverse("opportunities:create")
        self.other = make_account("Globex")

    def _data(self, account) -> dict:
        return {
            "account": str(account.pk),
            "name": "Renewal",
            "stage": str(stage("Prospecting").pk),
            "value": "0",
            "close_date": "2027-03-31",
        }

    def test_chooser_lists_changeable_accounts(self):
        self.login(self.teammate)

        response = self.client.get(self.url)

        self.assertEqual(list(response.context["form"].fields["account"].queryset), [self.account])

    def test_create_on_chosen_account(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(self.account))

        opportunity = Opportunity.objects.get()
        self.assertEqual(opportunity.account, self.account)
        self.assertEqual(opportunity.value, Decimal("0.00"))
        self.assertRedirects(response, opportunity.get_absolute_url(), fetch_redirect_response=False)

    def test_account_outside_team_rejected(self):
        self.login(self.owner)

        response = self.client.post(self.url, self._data(self.other))

        self.assertIn("account", response.context["form"].errors)
        self.assertFalse(Opportunity.objects.exists())

    def test_outsider_sees_empty_state(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, "there are none yet")
        self.assertNotContains(response, 'name="account"')
