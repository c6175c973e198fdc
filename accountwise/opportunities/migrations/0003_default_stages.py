from django.db import migrations

from accountwise.opportunities.defaults import create_default_stages


def forwards(apps, schema_editor):
    create_default_stages(apps.get_model("opportunities", "Stage"))


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
