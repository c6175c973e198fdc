from decimal import Decimal

from django.urls import reverse

from accountwise.opportunities.models import Opportunity, StageKind
from accountwise.test import BaseTestCase, make_account, make_opportunity, stage


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:opportunity-detail", args=[pk]) if pk else reverse("api:v1:opportunity-list")


class OpportunitiesApiTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upgrade", value=Decimal("1000.00"))

    def _create(self, **fields):
        data = {"account": self.account.pk, "name": "Expansion", "stage": stage("Proposal").pk,
                "value": "2000.00", "close_date": "2027-09-30", **fields}
        return self.client.post(_url(), data, content_type="application/json")

    def test_list_filters_by_status(self):
        make_opportunity(self.account, "Lost deal", stage=stage(StageKind.LOST))
        self.login(self.outsider)

        response = self.client.get(_url(), {"status": "closed_lost"})

        self.assertEqual([o["name"] for o in response.json()["results"]], ["Lost deal"])

    def test_totals_include_estimate(self):
        make_opportunity(make_account("Globex"), value=Decimal("500.00"), stage=stage(StageKind.WON))
        self.login(self.outsider)

        response = self.client.get(reverse("api:v1:opportunity-totals"))

        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertEqual(body["total_value"], "1500.00")
        expected = Opportunity.objects.all().totals()["estimated_value"]
        self.assertEqual(Decimal(body["estimated_value"]), expected)

    def test_teammate_creates_opportunity(self):
        self.login(self.teammate)

        response = self._create()

        self.assertEqual(response.status_code, 201)
        opportunity = Opportunity.objects.get(name="Expansion")
        self.assertEqual(opportunity.owner, self.teammate)
        self.assertFalse(response.json()["just_won"])

    def test_outsider_cannot_create(self):
        self.login(self.outsider)

        response = self._create()

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Opportunity.objects.filter(name="Expansion").exists())

    def test_missing_value_is_named(self):
        self.login(self.owner)

        response = self._create(value=None)

        self.assertEqual(response.status_code, 400)
        self.assertIn("value", response.json())

    def test_retired_stage_is_rejected(self):
        retired = stage("Proposal")
        retired.is_retired = True
        retired.save()
        self.login(self.owner)

        response = self._create(stage=retired.pk)

        self.assertEqual(response.status_code, 400)
        self.assertIn("stage", response.json())

    def test_moving_to_won_reports_it(self):
        self.login(self.owner)

        response = self.client.patch(_url(self.opportunity.pk), {"stage": stage(StageKind.WON).pk}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["just_won"])
        self.assertEqual(response.json()["status"], "closed_won")
        self.opportunity.refresh_from_db()
        self.assertTrue(self.opportunity.is_won)

    def test_saving_won_again_is_not_new(self):
        self.opportunity.stage = stage(StageKind.WON)
        self.opportunity.save()
        self.login(self.owner)

        response = self.client.patch(_url(self.opportunity.pk), {"name": "Upgrade 2"}, content_type="application/json")

        self.assertFalse(response.json()["just_won"])

    def test_admin_changes_value(self):
        self.login(self.admin)

        response = self.client.patch(_url(self.opportunity.pk), {"value": "1500.00"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1500.00"))

    def test_outsider_cannot_change(self):
        self.login(self.outsider)

        response = self.client.patch(_url(self.opportunity.pk), {"value": "1.00"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1000.00"))

    def test_owner_deletes_opportunity(self):
        self.login(self.owner)

        response = self.client.delete(_url(self.opportunity.pk))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

    def test_outsider_cannot_delete(self):
        self.login(self.outsider)

        response = self.client.delete(_url(self.opportunity.pk))

        self.assertEqual(response.status_code, 403)
