"""Stage calibration: each open stage's configured probability beside the win rate observed after it.

An opportunity passed through a stage when its stage history contains a move
into that stage, including the stage it was created at. The observed win
rate counts those opportunities that have since closed: won ÷ (won + lost).
The sample size is that number of closed opportunities; open and on-hold
ones have no outcome yet and are counted apart.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from accountwise.opportunities.models import Stage, StageChange, StageKind
from accountwise.reports import figures

# Below this many closed opportunities the page warns that the observed rate is weak evidence.
SMALL_SAMPLE = 10


@dataclass
class CalibrationRow:
    stage: Stage
    passed_count: int
    won_count: int
    lost_count: int
    # Percent, one decimal; None when none of them has closed.
    observed_win_rate: Decimal | None

    @property
    def sample_size(self) -> int:
        return self.won_count + self.lost_count

    @property
    def still_open_count(self) -> int:
        return self.passed_count - self.sample_size

    @property
    def difference(self) -> Decimal | None:
        """Observed minus configured, in percentage points; None without a closed opportunity."""
        if self.observed_win_rate is None:
            return None
        return self.observed_win_rate - self.stage.probability

    @property
    def is_small_sample(self) -> bool:
        return self.sample_size < SMALL_SAMPLE


def calibration_rows(opportunities: QuerySet) -> list[CalibrationRow]:
    """Return one row per open stage in use or passed through, in stage order."""
    outcome = "opportunity__stage__kind"
    won = Count("opportunity", distinct=True, filter=Q(**{outcome: StageKind.WON}))
    lost = Count("opportunity", distinct=True, filter=Q(**{outcome: StageKind.LOST}))
    grouped = {
        row["to_stage"]: row
        for row in StageChange.objects.filter(
            to_stage__kind=StageKind.OPEN, opportunity__in=opportunities.order_by().values("pk")
        )
        .order_by()
        .values("to_stage")
        .annotate(
            passed_count=Count("opportunity", distinct=True),
            won_count=won,
            lost_count=lost,
            win_rate=figures.win_rate(won, lost),
        )
    }
    stages = Stage.objects.open().filter(Q(is_retired=False) | Q(pk__in=list(grouped)))
    empty = {"passed_count": 0, "won_count": 0, "lost_count": 0, "win_rate": None}
    rows = []
    for stage in stages:
        row = grouped.get(stage.pk, empty)
        rows.append(
            CalibrationRow(
                stage=stage,
                passed_count=row["passed_count"],
                won_count=row["won_count"],
                lost_count=row["lost_count"],
                observed_win_rate=figures.rounded_rate(row["win_rate"]),
            )
        )
    return rows
