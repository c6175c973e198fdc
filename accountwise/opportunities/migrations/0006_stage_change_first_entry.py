from django.db import migrations, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber


def mark_reentries(apps, schema_editor):
    """Clear is_first_entry on every stage change that has an earlier one into the same stage.

    Earlier means an earlier changed_at or, at the same moment, a lower id.
    Numbering each opportunity's changes into each stage sorts the table
    once; a correlated "earlier change exists" test instead made SQLite walk
    the to_stage index, thousands of rows per change.
    """
    StageChange = apps.get_model("opportunities", "StageChange")
    numbered = StageChange.objects.annotate(
        entry=Window(
            RowNumber(),
            partition_by=[F("opportunity_id"), F("to_stage_id")],
            order_by=[F("changed_at").asc(), F("pk").asc()],
        )
    )
    reentries = numbered.filter(entry__gt=1).values("pk")
    StageChange.objects.filter(pk__in=reentries).update(is_first_entry=False)


class Migration(migrations.Migration):

    dependencies = [
        ("opportunities", "0005_custom_fields_soft_delete_history_stage_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagechange",
            name="is_first_entry",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(mark_reentries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stagechange",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_first_entry", True)),
                fields=("to_stage", "opportunity"),
                name="stage_change_first_entry_once",
            ),
        ),
    ]
