"""Match stage names in a file to the stages that exist, and add unknown ones on request."""

from accountwise.opportunities.actions import add_open_stage
from accountwise.opportunities.models import Stage, StageKind

# The usual names, in other CRMs, of the stages that always exist. Keys are
# lower-case letters only, so "Closed/Won", "closed-won" and "closedwon" match.
STANDARD_STAGE_NAMES = {
    "won": StageKind.WON,
    "closedwon": StageKind.WON,
    "lost": StageKind.LOST,
    "closedlost": StageKind.LOST,
    "onhold": StageKind.ON_HOLD,
    "hold": StageKind.ON_HOLD,
}


class StageMapError(ValueError):
    """A stage mapping whose target stage does not exist; the message lists the stages."""


def _letters(name: str) -> str:
    return "".join(char for char in name.casefold() if char.isalnum())


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class StageResolver:
    """Stages by name (any case), standard synonym and explicit mapping, loaded in one query."""

    def __init__(self, stage_map: dict[str, str] | None = None):
        self.stages = list(Stage.objects.all())
        self._by_name: dict[str, Stage] = {}
        for stage in self.stages:
            self._by_name.setdefault(_name_key(stage.name), stage)
        self._by_kind = {stage.kind: stage for stage in self.stages if stage.kind != StageKind.OPEN}
        self._mapped = {_name_key(source): self._target(target) for source, target in (stage_map or {}).items()}
        # New open stages to create, by name key, keeping the first spelling seen.
        self.pending: dict[str, str] = {}

    def find(self, text: str) -> Stage | None:
        """Return the stage that text names, or None when it is unknown."""
        key = _name_key(text)
        if key in self._mapped:
            return self._mapped[key]
        if key in self._by_name:
            return self._by_name[key]
        kind = STANDARD_STAGE_NAMES.get(_letters(text))
        return self._by_kind.get(kind) if kind else None

    def add_pending(self, text: str) -> str:
        key = _name_key(text)
        self.pending.setdefault(key, " ".join(text.split()))
        return key

    def create_pending(self, keys) -> dict[str, Stage]:
        """Create an open stage with probability 0 for each key, after the existing open stages.

        Return the new stages by name key.
        """
        created = {}
        for key in keys:
            stage = add_open_stage(self.pending[key], probability=0)
            created[key] = stage
            self._by_name[key] = stage
        return created

    def _target(self, name: str) -> Stage:
        stage = self._by_name.get(_name_key(name))
        if stage is None:
            kind = STANDARD_STAGE_NAMES.get(_letters(name))
            stage = self._by_kind.get(kind) if kind else None
        if stage is None:
            names = ", ".join(stage.name for stage in self.stages)
            raise StageMapError(f'there is no stage named "{name}"; the stages are {names}')
        return stage
