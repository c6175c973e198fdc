import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accountwise.opportunities.actions import change_stage
from accountwise.opportunities.models import Opportunity, StageChange
from accountwise.test import BaseTestCase, make_opportunity, stage


def _change(opportunity, from_name: str | None, to_name: str, **fields) -> StageChange:
    from_stage = stage(from_name) if from_name else None
    return StageChange(opportunity=opportunity, from_stage=from_stage, to_stage=stage(to_name), **fields)


def _flags(opportunity) -> list[tuple[str, bool]]:
    changes = StageChange.objects.filter(opportunity=opportunity).order_by("changed_at", "pk")
    return list(changes.values_list("to_stage__name", "is_first_entry"))


class RecordStageChangesTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, stage=stage("Proposal"))

    def test_reentry_in_one_batch(self):
        StageChange.objects.record([
            _change(self.opportunity, None, "Proposal"),
            _change(self.opportunity, "Proposal", "Negotiation"),
            _change(self.opportunity, "Negotiation", "Proposal"),
        ])

        self.assertEqual(
            _flags(self.opportunity), [("Proposal", True), ("Negotiation", True), ("Proposal", False)]
        )

    def test_reentry_after_earlier_batch(self):
        StageChange.objects.record([_change(self.opportunity, None, "Proposal")])
        StageChange.objects.record([_change(self.opportunity, "Proposal", "Negotiation")])

        StageChange.objects.record([_change(self.opportunity, "Negotiation", "Proposal")])

        self.assertEqual(
            _flags(self.opportunity), [("Proposal", True), ("Negotiation", True), ("Proposal", False)]
        )

    def test_other_opportunity_entries_ignored(self):
        other = make_opportunity(self.account, stage=stage("Negotiation"))
        StageChange.objects.record([_change(other, None, "Negotiation")])
        StageChange.objects.record([_change(self.opportunity, None, "Proposal")])

        StageChange.objects.record([_change(self.opportunity, "Proposal", "Negotiation")])

        self.assertEqual(_flags(self.opportunity), [("Proposal", True), ("Negotiation", True)])

    def test_batch_ordered_by_changed_at(self):
        now = timezone.now()
        later = _change(self.opportunity, "Negotiation", "Proposal", changed_at=now)
        earlier = _change(self.opportunity, None, "Proposal", changed_at=now - datetime.timedelta(days=2))
        middle = _change(self.opportunity, "Proposal", "Negotiation", changed_at=now - datetime.timedelta(days=1))

        StageChange.objects.record([later, earlier, middle])

        self.assertEqual(
            _flags(self.opportunity), [("Proposal", True), ("Negotiation", True), ("Proposal", False)]
        )

    def test_creation_skips_lookup(self):
        changes = [_change(self.opportunity, None, "Proposal"), _change(self.opportunity, "Proposal", "Negotiation")]

        with self.assertNumQueries(1):
            StageChange.objects.record(changes)

    def test_second_first_entry_rejected(self):
        StageChange.objects.record([_change(self.opportunity, None, "Proposal")])

        with self.assertRaises(IntegrityError), transaction.atomic():
            StageChange.objects.create(opportunity=self.opportunity, to_stage=stage("Proposal"), is_first_entry=True)


class ChangeStageFirstEntryTests(BaseTestCase):
    def test_new_opportunity_first_entry(self):
        opportunity = Opportunity(account=self.account, name="Renewal", close_date=datetime.date(2027, 1, 1))

        change_stage(opportunity, stage("Proposal"), Decimal("100.00"), self.owner)

        self.assertEqual(_flags(opportunity), [("Proposal", True)])

    def test_move_back_not_first_entry(self):
        opportunity = Opportunity(account=self.account, name="Renewal", close_date=datetime.date(2027, 1, 1))
        change_stage(opportunity, stage("Proposal"), Decimal("100.00"), self.owner)
        change_stage(opportunity, stage("Negotiation"), Decimal("100.00"), self.owner)

        change_stage(opportunity, stage("Proposal"), Decimal("100.00"), self.owner)

        self.assertEqual(
            _flags(opportunity), [("Proposal", True), ("Negotiation", True), ("Proposal", False)]
        )
