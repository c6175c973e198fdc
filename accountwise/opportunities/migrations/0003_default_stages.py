from django.db import migrations

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


def create_default_stages(apps, schema_editor):
    Stage = apps.get_model("opportunities", "Stage")
    if Stage.objects.exists():
        return
    for position, (name, kind, probability) in enumerate(DEFAULT_STAGES, start=1):
        Stage.objects.create(name=name, kind=kind, probability=probability, position=position * 10)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0002_initial")]

    operations = [migrations.RunPython(create_default_stages, migrations.RunPython.noop)]
