from decimal import Decimal

from django.urls import reverse

from accountwise.opportunities.models import Opportunity, Stage, StageChange
from accountwise.reports.calibration import calibration_rows
from accountwise.test import BaseTestCase, make_opportunity, stage
from accountwise.transfer.mapping import OPPORTUNITIES
from accountwise.transfer.tests.support import ImportTestCase


def _path(opportunity, *stage_names: str) -> None:
    """Record the opportunity's stage history: created at the first stage, then moved through the rest."""
    stages = [stage(name) for name in stage_names]
    StageChange.objects.record([
        StageChange(opportunity=opportunity, from_stage=previous, to_stage=to_stage)
        for previous, to_stage in zip([None, *stages], stages)
    ])


class CalibrationTests(BaseTestCase):
    """Five opportunities with hand-checked paths.

    Proposal: passed by 4, of which 2 won and 1 lost; 1 is still open.
    Negotiation: passed by 2, of which 2 won. Prospecting: passed by 2, 1 won, 1 lost.
    Qualification: passed by 1 (lost). Needs analysis: never passed.
    """

    def setUp(self):
        won_a = make_opportunity(self.account, stage=stage("won"))
        _path(won_a, "Prospecting", "Proposal", "Negotiation", "Closed won")
        won_b = make_opportunity(self.account, stage=stage("won"))
        _path(won_b, "Proposal", "Negotiation", "Proposal", "Negotiation", "Closed won")  # Back and forth.
        lost = make_opportunity(self.account, stage=stage("lost"))
        _path(lost, "Prospecting", "Qualification", "Proposal", "Closed lost")
        still_open = make_opportunity(self.account, stage=stage("Proposal"))
        _path(still_open, "Proposal")
        on_hold = make_opportunity(self.account, stage=stage("on_hold"))
        _path(on_hold, "On hold")

    def _rows(self) -> dict:
        return {row.stage.name: row for row in calibration_rows(Opportunity.objects.all())}

    def test_open_stages_in_order(self):
        self.assertEqual(list(self._rows()), ["Prospecting", "Qualification", "Needs analysis", "Proposal", "Negotiation"])

    def test_proposal(self):
        row = self._rows()["Proposal"]

        self.assertEqual(row.passed_count, 4)
        self.assertEqual((row.won_count, row.lost_count), (2, 1))
        self.assertEqual(row.sample_size, 3)
        self.assertEqual(row.still_open_count, 1)
        self.assertEqual(row.observed_win_rate, Decimal("66.7"))
        self.assertEqual(row.difference, Decimal("6.7"))  # Configured at 60 %.

    def test_passing_twice_counts_once(self):
        row = self._rows()["Negotiation"]

        self.assertEqual(row.passed_count, 2)
        self.assertEqual(row.observed_win_rate, Decimal("100.0"))
        self.assertEqual(row.difference, Decimal("20.0"))

    def test_qualification(self):
        row = self._rows()["Qualification"]

        self.assertEqual(row.sample_size, 1)
        self.assertEqual(row.observed_win_rate, Decimal("0.0"))
        self.assertTrue(row.is_small_sample)

    def test_stage_never_passed(self):
        row = self._rows()["Needs analysis"]

        self.assertEqual(row.passed_count, 0)
        self.assertIsNone(row.observed_win_rate)
        self.assertIsNone(row.difference)

    def test_retired_stage_never_passed_left_out(self):
        Stage.objects.filter(name="Needs analysis").update(is_retired=True)

        self.assertNotIn("Needs analysis", self._rows())

    def test_retired_stage_passed_kept(self):
        Stage.objects.filter(name="Qualification").update(is_retired=True)

        self.assertEqual(self._rows()["Qualification"].passed_count, 1)

    def test_selection_narrows(self):
        rows = calibration_rows(Opportunity.objects.filter(stage__kind="lost"))
        proposal = next(row for row in rows if row.stage.name == "Proposal")

        self.assertEqual((proposal.passed_count, proposal.won_count, proposal.lost_count), (1, 0, 1))


def _first_entry_flags(opportunity, stage_name: str) -> list[bool]:
    changes = StageChange.objects.filter(opportunity=opportunity, to_stage=stage(stage_name))
    return list(changes.order_by("changed_at", "pk").values_list("is_first_entry", flat=True))


def _row(stage_name: str):
    return next(row for row in calibration_rows(Opportunity.objects.all()) if row.stage.name == stage_name)


class QuickUpdateReentryTests(BaseTestCase):
    """An opportunity moved back into a stage through the row's stage and value form."""

    def setUp(self):
        self.login(self.owner)
        self.opportunity = make_opportunity(self.account, stage=stage("Proposal"))
        _path(self.opportunity, "Proposal")
        for name in ("Negotiation", "Proposal", "won"):
            response = self.client.post(
                reverse("opportunities:quick-update", args=[self.opportunity.pk]),
                {"stage": str(stage(name).pk), "value": "1000.00"},
                HTTP_HX_REQUEST="true",
            )
            self.assertEqual(response.status_code, 200)

    def test_reentry_not_first(self):
        self.assertEqual(_first_entry_flags(self.opportunity, "Proposal"), [True, False])
        self.assertEqual(_first_entry_flags(self.opportunity, "Negotiation"), [True])

    def test_reentered_stage_counts_once(self):
        row = _row("Proposal")

        self.assertEqual(row.passed_count, 1)
        self.assertEqual((row.won_count, row.lost_count), (1, 0))


class ImportReentryTests(ImportTestCase):
    """An opportunity moved back into a stage by importing it again under its external id."""

    def setUp(self):
        super().setUp()
        for name in ("Proposal", "Negotiation", "Proposal", "Closed lost"):
            result = self.import_csv(
                OPPORTUNITIES,
                f"id,name,account,stage,value,close_date\nX1,Renewal,Acme Corporation,{name},1000,2027-06-30\n",
            )
            self.assertTrue(result.written)
        self.opportunity = Opportunity.objects.get(external_id="X1")

    def test_reentry_not_first(self):
        self.assertEqual(_first_entry_flags(self.opportunity, "Proposal"), [True, False])
        self.assertEqual(_first_entry_flags(self.opportunity, "Negotiation"), [True])

    def test_reentered_stage_counts_once(self):
        row = _row("Proposal")

        self.assertEqual(row.passed_count, 1)
        self.assertEqual((row.won_count, row.lost_count), (0, 1))
