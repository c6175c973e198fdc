import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

BEFORE = ("opportunities", "0005_custom_fields_soft_delete_history_stage_changes")
AFTER = ("opportunities", "0006_stage_change_first_entry")


class FirstEntryBackfillTests(TransactionTestCase):
    """Stage changes written before is_first_entry existed get it from their order in time."""

    def setUp(self):
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        apps = executor.loader.project_state([BEFORE]).apps
        self.addCleanup(self._migrate_to_latest)

        Account = apps.get_model("accounts", "Account")
        Stage = apps.get_model("opportunities", "Stage")
        Opportunity = apps.get_model("opportunities", "Opportunity")
        self.StageChange = apps.get_model("opportunities", "StageChange")
        proposal = Stage.objects.create(name="Backfill proposal", probability=60)
        negotiation = Stage.objects.create(name="Backfill negotiation", probability=80)
        closing = Stage.objects.create(name="Backfill closing", probability=90)
        account = Account.objects.create(name="Backfill account")
        opportunity = Opportunity.objects.create(
            account=account, name="Renewal", stage=closing, value=1000, close_date=datetime.date(2027, 1, 1)
        )

        start = timezone.now() - datetime.timedelta(days=10)
        moves = [
            # Written out of time order, so that the lowest id is not the earliest change.
            (negotiation, proposal, start + datetime.timedelta(days=2)),
            (None, proposal, start),
            (proposal, negotiation, start + datetime.timedelta(days=1)),
            (negotiation, proposal, start + datetime.timedelta(days=3)),
            # Two entries into closing at the same moment.
            (proposal, closing, start + datetime.timedelta(days=4)),
            (proposal, closing, start + datetime.timedelta(days=4)),
        ]
        self.ids = [
            self.StageChange.objects.create(
                opportunity=opportunity, from_stage=from_stage, to_stage=to_stage, changed_at=changed_at
            ).pk
            for from_stage, to_stage, changed_at in moves
        ]

        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        self.StageChange = executor.loader.project_state([AFTER]).apps.get_model("opportunities", "StageChange")

    def _migrate_to_latest(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def _flags(self) -> list[bool]:
        flags = dict(self.StageChange.objects.values_list("pk", "is_first_entry"))
        return [flags[pk] for pk in self.ids]

    def test_earliest_entry_first(self):
        self.assertEqual(self._flags()[:4], [False, True, True, False])

    def test_same_moment_lower_id_first(self):
        self.assertEqual(self._flags()[4:], [True, False])
