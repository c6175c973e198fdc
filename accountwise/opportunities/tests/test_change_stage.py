import datetime
from decimal import Decimal

from accountwise.opportunities.actions import StageRetiredError, change_stage
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_opportunity, stage


class ChangeStageTests(BaseTestCase):
    def test_saves_stage_and_value(self):
        opportunity = make_opportunity(self.account, stage=stage("Proposal"))

        change_stage(opportunity, stage("Negotiation"), Decimal("2500.00"), self.owner)

        opportunity.refresh_from_db()
        self.assertEqual(opportunity.stage, stage("Negotiation"))
        self.assertEqual(opportunity.value, Decimal("2500.00"))

    def test_reports_just_won(self):
        opportunity = make_opportunity(self.account, stage=stage("Negotiation"))

        became_won = change_stage(opportunity, stage("won"), opportunity.value, self.owner)

        self.assertTrue(became_won)

    def test_already_won_not_reported(self):
        opportunity = make_opportunity(self.account, stage=stage("won"))

        became_won = change_stage(opportunity, stage("won"), Decimal("10.00"), self.owner)

        self.assertFalse(became_won)

    def test_open_stage_not_reported(self):
        opportunity = make_opportunity(self.account, stage=stage("Proposal"))

        became_won = change_stage(opportunity, stage("lost"), opportunity.value, self.owner)

        self.assertFalse(became_won)

    def test_stale_instance_uses_stored_stage(self):
        opportunity = make_opportunity(self.account, stage=stage("Proposal"))
        # A form has already put the new stage on the instance before the action runs.
        opportunity.stage = stage("won")

        became_won = change_stage(opportunity, stage("won"), opportunity.value, self.owner)

        self.assertTrue(became_won)

    def test_new_opportunity_created_won(self):
        opportunity = Opportunity(account=self.account, name="Signed", close_date=datetime.date(2027, 1, 1))

        became_won = change_stage(opportunity, stage("won"), Decimal("100.00"), self.owner)

        self.assertTrue(became_won)
        self.assertTrue(Opportunity.objects.filter(name="Signed").exists())

    def test_retired_stage_refused(self):
        retired = stage("Qualification")
        retired.is_retired = True
        retired.save()
        opportunity = make_opportunity(self.account, stage=stage("Proposal"))

        with self.assertRaises(StageRetiredError):
            change_stage(opportunity, retired, opportunity.value, self.owner)

        opportunity.refresh_from_db()
        self.assertEqual(opportunity.stage, stage("Proposal"))

    def test_retired_stage_kept(self):
        retired = stage("Qualification")
        opportunity = make_opportunity(self.account, stage=retired)
        retired.is_retired = True
        retired.save()

        change_stage(opportunity, retired, Decimal("75.00"), self.owner)

        opportunity.refresh_from_db()
        self.assertEqual(opportunity.value, Decimal("75.00"))
        self.assertEqual(opportunity.stage, retired)
