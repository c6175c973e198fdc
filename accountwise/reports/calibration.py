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

from accountwise.opportunities.models import Stage, StageKind
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
    stages = list(Stage.objects.all())
    open_stages = [stage for stage in stages if stage.kind == StageKind.OPEN]
    grouped = _passed_counts(opportunities, stages, open_stages)

    empty = {"passed_count": 0, "won_count": 0, "lost_count": 0, "win_rate": None}
    rows = []
    for stage in open_stages:
        if stage.is_retired and stage.pk not in grouped:
            continue
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


def _passed_counts(opportunities: QuerySet, stages: list[Stage], open_stages: list[Stage]) -> dict[int, dict]:
    """Return, by open stage id, how many opportunities passed through it and how many of them are won and lost.

    Each opportunity has at most one first entry into a stage, so plain counts over
    first entries count opportunities, at a fraction of the cost of COUNT(DISTINCT ...).
    The query starts from the selection, because filtering stage changes by
    "opportunity IN (selection)" would read the opportunity table twice. Stages are
    matched by id rather than by kind, which saves two joins to the stage table.
    """
    won_stage = next(stage for stage in stages if stage.kind == StageKind.WON)
    lost_stage = next(stage for stage in stages if stage.kind == StageKind.LOST)
    won = Count("pk", filter=Q(stage=won_stage))
    lost = Count("pk", filter=Q(stage=lost_stage))
    passed = opportunities.filter(stage_changes__is_first_entry=True, stage_changes__to_stage__in=open_stages)
    return {
        row["stage_changes__to_stage"]: row
        for row in passed.order_by()
        .values("stage_changes__to_stage")
        .annotate(
            passed_count=Count("pk"),
            won_count=won,
            lost_count=lost,
            win_rate=figures.win_rate(won, lost),
        )
    }
