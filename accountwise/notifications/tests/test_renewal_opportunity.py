import datetime
from decimal import Decimal

from accountwise.notifications.actions import send_notifications
from accountwise.notifications.models import OverrideMode, RenewalOpportunity, RenewalOverride
from accountwise.notifications.tests.factories import days_before, make_rule
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_contract, stage

END = datetime.date(2027, 6, 30)


class RenewalOpportunityTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(
            days_before=[30],
            opportunity_days_before=120,
            opportunity_stage=stage("Qualification"),
            opportunity_name="Renewal: {contract} ({account}, {end_date})",
        )
        self.contract = make_contract(
            self.account, "Support", end_date=END, owner=self.teammate, value=Decimal("12000.00")
        )

    def test_none_before_its_day(self):
        summary = send_notifications(days_before(END, 121))

        self.assertEqual(summary.opportunities, 0)
        self.assertFalse(Opportunity.objects.exists())

    def test_created_on_its_day(self):
        summary = send_notifications(days_before(END, 120))

        opportunity = Opportunity.objects.get()
        self.assertEqual(summary.opportunities, 1)
        self.assertEqual(opportunity.name, "Renewal: Support (Acme Corporation, Jun 30, 2027)")
        self.assertEqual(opportunity.account, self.account)
        self.assertEqual(opportunity.stage, stage("Qualification"))
        self.assertEqual(opportunity.value, Decimal("12000.00"))
        self.assertEqual(opportunity.close_date, END)
        self.assertEqual(opportunity.owner, self.teammate)

    def test_linked_to_contract(self):
        send_notifications(days_before(END, 120))

        link = RenewalOpportunity.objects.get()
        self.assertEqual(link.contract, self.contract)
        self.assertEqual(link.opportunity, Opportunity.objects.get())
        self.assertEqual(link.end_date, END)
        self.assertEqual(link.rule, self.rule)

    def test_created_once(self):
        for days in range(120, -1, -1):
            send_notifications(days_before(END, days))

        self.assertEqual(Opportunity.objects.count(), 1)
        self.assertEqual(RenewalOpportunity.objects.count(), 1)

    def test_late_run_still_creates(self):
        send_notifications(days_before(END, 10))

        self.assertEqual(Opportunity.objects.count(), 1)

    def test_deleted_not_recreated(self):
        send_notifications(days_before(END, 120))
        Opportunity.objects.get().delete()

        send_notifications(days_before(END, 100))

        self.assertFalse(Opportunity.objects.exists())
        self.assertIsNone(RenewalOpportunity.objects.get().opportunity)

    def test_open_renewal_blocks_second(self):
        send_notifications(days_before(END, 120))
        new_end = datetime.date(2027, 7, 15)
        self.contract.end_date = new_end
        self.contract.save()

        send_notifications(days_before(new_end, 100))

        self.assertEqual(Opportunity.objects.count(), 1)

    def test_new_end_date_after_win(self):
        send_notifications(days_before(END, 120))
        renewal = Opportunity.objects.get()
        renewal.stage = stage("won")
        renewal.save()
        new_end = datetime.date(2028, 6, 30)
        self.contract.end_date = new_end
        self.contract.save()

        send_notifications(days_before(new_end, 120))

        self.assertEqual(Opportunity.objects.count(), 2)
        self.assertEqual(Opportunity.objects.exclude(pk=renewal.pk).get().close_date, new_end)

    def test_contract_without_value(self):
        self.contract.value = None
        self.contract.save()

        send_notifications(days_before(END, 120))

        self.assertEqual(Opportunity.objects.get().value, Decimal("0.00"))

    def test_falls_back_to_account_owner(self):
        self.contract.owner = None
        self.contract.save()

        send_notifications(days_before(END, 120))

        self.assertEqual(Opportunity.objects.get().owner, self.owner)

    def test_override_off_creates_none(self):
        RenewalOverride.objects.create(contract=self.contract, mode=OverrideMode.OFF)

        send_notifications(days_before(END, 120))

        self.assertFalse(Opportunity.objects.exists())

    def test_retired_stage_creates_none(self):
        qualification = stage("Qualification")
        qualification.is_retired = True
        qualification.save()

        with self.assertLogs("accountwise.notifications", "WARNING") as logs:
            send_notifications(days_before(END, 120))

        self.assertFalse(Opportunity.objects.exists())
        self.assertIn(f"Rule {self.rule.pk} has no open stage", logs.output[0])

    def test_deleted_stage_creates_none(self):
        self.rule.opportunity_stage = None
        self.rule.save()

        with self.assertLogs("accountwise.notifications", "WARNING"):
            send_notifications(days_before(END, 120))

        self.assertFalse(Opportunity.objects.exists())

    def test_rule_without_opportunity(self):
        self.rule.opportunity_days_before = None
        self.rule.save()

        send_notifications(days_before(END, 30))

        self.assertFalse(Opportunity.objects.exists())

    def test_two_rules_create_one(self):
        make_rule("Second", days_before=[60], opportunity_days_before=90, opportunity_stage=stage("Proposal"))

        send_notifications(days_before(END, 60))

        self.assertEqual(Opportunity.objects.count(), 1)

    def test_invalid_stored_pattern_uses_default(self):
        self.rule.opportunity_name = "Renewal {nope}"
        self.rule.save()

        send_notifications(days_before(END, 120))

        self.assertEqual(Opportunity.objects.get().name, "Renewal of Support")
