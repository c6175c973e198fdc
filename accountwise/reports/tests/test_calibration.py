from decimal import Decimal

from accountwise.opportunities.models import Opportunity, StageChange
from accountwise.reports.calibration import calibration_rows
from accountwise.test import BaseTestCase, make_opportunity, stage


def _path(opportunity, *stage_names: str) -> None:
    """Record the opportunity's stage history: created at the first stage, then moved through the rest."""
    previous = None
    for name in stage_names:
        to_stage = stage(name)
        StageChange.objects.create(opportunity=opportunity, from_stage=previous, to_stage=to_stage)
        previous = to_stage


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

    def test_selection_narrows(self):
        rows = calibration_rows(Opportunity.objects.filter(stage__kind="lost"))
        proposal = next(row for row in rows if row.stage.name == "Proposal")

        self.assertEqual((proposal.passed_count, proposal.won_count, proposal.lost_count), (1, 0, 1))
