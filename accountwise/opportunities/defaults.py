"""The stages a new installation starts with."""

# Name, kind, probability in percent. The three stages that are not open always
# exist; the open ones are a starting point that administrators change.
DEFAULT_STAGES = [
    ("Prospecting", "open", 10),
    ("Qualification", "open", 20),
    ("Needs analysis", "open", 40),
    ("Proposal", "open", 60),
    ("Negotiation", "open", 80),
    ("On hold", "on_hold", 0),
    ("Closed won", "won", 100),
    ("Closed lost", "lost", 0),
]


def create_default_stages(stage_model) -> None:
    """Create the default stages when there are none; takes the model so migrations can call it."""
    if stage_model.objects.exists():
        return
    for position, (name, kind, probability) in enumerate(DEFAULT_STAGES, start=1):
        stage_model.objects.create(
            name=name, kind=kind, probability=probability, position=position * 10
        )


def ensure_default_stages() -> None:
    from accountwise.opportunities.models import Stage

    create_default_stages(Stage)
