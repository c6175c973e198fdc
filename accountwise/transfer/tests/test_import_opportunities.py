import datetime
import math
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountwise.history.deletion import soft_delete
from accountwise.opportunities.models import Opportunity, Stage, StageKind
from accountwise.test import make_account, make_opportunity, stage
from accountwise.transfer import record_import
from accountwise.transfer.mapping import OPPORTUNITIES
from accountwise.transfer.stages import StageMapError
from accountwise.transfer.tests.support import ImportTestCase

HEADER = "name,account,stage,value,close_date\n"


class ImportOpportunitiesTests(ImportTestCase):
    def test_creates_opportunity(self):
        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,1000,2025-06-30\n")

        self.assertEqual(result.created, 1)
        opportunity = Opportunity.objects.get(name="Renewal")
        self.assertEqual(opportunity.account, self.account)
        self.assertEqual(opportunity.stage, stage("Proposal"))
        self.assertEqual(opportunity.value, Decimal("1000.00"))
        self.assertEqual(opportunity.close_date, datetime.date(2025, 6, 30))

    def test_account_ignores_case(self):
        self.import_csv(OPPORTUNITIES, HEADER + "Renewal,ACME corporation,Proposal,1000,2025-06-30\n")

        self.assertEqual(Opportunity.objects.get(name="Renewal").account, self.account)

    def test_account_by_external_id(self):
        globex = make_account("Globex", external_id="001A")

        self.import_csv(OPPORTUNITIES, HEADER + "Renewal,001A,Proposal,1000,2025-06-30\n")

        self.assertEqual(Opportunity.objects.get(name="Renewal").account, globex)

    def test_unknown_account_rejected(self):
        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Globex,Proposal,1000,2025-06-30\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column account: no account is named "Globex"; import or create the account first, '
             'or let the import create missing accounts'],
        )

    def test_missing_values_each_named(self):
        result = self.import_csv(OPPORTUNITIES, HEADER.replace("\n", ",description\n") + ",,,,,A note\n")

        self.assertEqual(self.error_texts(result), [
            "line 2, column name: the opportunity name is missing",
            "line 2, column account: the account is missing",
            "line 2, column stage: the stage is missing",
            "line 2, column value: the value is missing",
            "line 2, column close_date: the close date is missing",
        ])

    def test_amount_with_separators(self):
        text = "name;account;stage;amount;close date\nRenewal;Acme Corporation;Proposal;1.234.567,89 €;2025-06-30\n"

        self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(Opportunity.objects.get(name="Renewal").value, Decimal("1234567.89"))

    def test_negative_value_rejected(self):
        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,-5,2025-06-30\n")

        self.assertEqual(
            self.error_texts(result), ['line 2, column value: "-5" is negative; amounts must be 0 or more']
        )

    def test_non_numeric_value_rejected(self):
        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,TBD,2025-06-30\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column value: "TBD" is not an amount; write a number such as 1234.56'],
        )

    def test_dates_in_several_formats(self):
        text = HEADER + (
            "A,Acme Corporation,Proposal,1,2020-12-22T21:16:01Z\n"
            "B,Acme Corporation,Proposal,1,\"Dec 22, 2020\"\n"
            "C,Acme Corporation,Proposal,1,22/12/2020\n"
            "D,Acme Corporation,Proposal,1,12/22/2020\n"
        )

        self.import_csv(OPPORTUNITIES, text)

        dates = set(Opportunity.objects.filter(name__in="ABCD").values_list("close_date", flat=True))
        self.assertEqual(dates, {datetime.date(2020, 12, 22)})

    def test_date_format_option(self):
        text = HEADER + "Renewal,Acme Corporation,Proposal,1,03/04/2025\n"

        self.import_csv(OPPORTUNITIES, text, date_format="%d/%m/%Y")

        self.assertEqual(Opportunity.objects.get(name="Renewal").close_date, datetime.date(2025, 4, 3))

    def test_invalid_date_rejected(self):
        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,1,2025-02-30\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column close_date: "2025-02-30" is not a valid date'],
        )

    def test_totals_by_stage_kind(self):
        text = HEADER + (
            "A,Acme Corporation,Won,1000,2025-01-31\n"
            "B,Acme Corporation,Won,250.50,2025-01-31\n"
            "C,Acme Corporation,Lost,0,2025-01-31\n"
        )

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(result.by_stage_kind[StageKind.WON].count, 2)
        self.assertEqual(result.by_stage_kind[StageKind.WON].value, Decimal("1250.50"))
        self.assertEqual(result.by_stage_kind[StageKind.LOST].count, 1)


class StageTests(ImportTestCase):
    def import_stage(self, name: str, **options):
        return self.import_csv(OPPORTUNITIES, HEADER + f"Renewal,Acme Corporation,{name},1,2025-06-30\n", **options)

    def test_existing_stage_ignores_case(self):
        self.import_stage("  needs ANALYSIS ")

        self.assertEqual(Opportunity.objects.get(name="Renewal").stage, stage("Needs analysis"))

    def test_standard_names_map_to_fixed_stages(self):
        cases = {
            "Won": StageKind.WON, "Closed Won": StageKind.WON, "Closed/Won": StageKind.WON,
            "closedwon": StageKind.WON, "Lost": StageKind.LOST, "Closed Lost": StageKind.LOST,
            "Closed/Lost": StageKind.LOST, "On Hold": StageKind.ON_HOLD, "Hold": StageKind.ON_HOLD,
        }
        for name, kind in cases.items():
            with self.subTest(name=name):
                self.import_stage(name)

                self.assertEqual(Opportunity.objects.get(name="Renewal").stage.kind, kind)

    def test_unknown_stage_rejected(self):
        result = self.import_stage("Engaging")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column stage: "Engaging" is not a stage; map it to an existing stage or create it'],
        )

    def test_unknown_stages_listed_with_rows(self):
        text = HEADER + (
            "A,Acme Corporation,Engaging,1,2025-06-30\n"
            "B,Acme Corporation,Demo,1,2025-06-30\n"
            "C,Acme Corporation,engaging,1,2025-06-30\n"
        )

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(result.unknown_stages, {"Engaging": [2, 4], "Demo": [3]})

    def test_stage_map(self):
        self.import_stage("Engaging", stage_map={"engaging": "Qualification"})

        self.assertEqual(Opportunity.objects.get(name="Renewal").stage, stage("Qualification"))

    def test_stage_map_to_standard_name(self):
        self.import_stage("Signed", stage_map={"Signed": "Won"})

        self.assertEqual(Opportunity.objects.get(name="Renewal").stage, stage(StageKind.WON))

    def test_stage_map_unknown_target(self):
        with self.assertRaisesMessage(StageMapError, 'there is no stage named "Demo"; the stages are Prospecting'):
            self.import_stage("Engaging", stage_map={"Engaging": "Demo"})

    def test_retired_stage_rejected(self):
        Stage.objects.create(name="Demo", probability=30, position=45, is_retired=True)

        result = self.import_stage("Demo")

        self.assertEqual(
            self.error_texts(result), ['line 2, column stage: the stage "Demo" is retired; map it to a stage in use']
        )

    def test_retired_stage_kept_on_update(self):
        demo = Stage.objects.create(name="Demo", probability=30, position=45, is_retired=True)
        existing = make_opportunity(self.account, "Renewal", stage=demo)

        result = self.import_stage("Demo")

        self.assertEqual(result.errors, [])
        existing.refresh_from_db()
        self.assertEqual(existing.stage, demo)
        self.assertEqual(existing.value, Decimal("1.00"))

    def test_create_stages_adds_open_stage(self):
        result = self.import_stage("Engaging", create_stages=True)

        engaging = Stage.objects.get(name="Engaging")
        self.assertEqual((engaging.kind, engaging.probability), (StageKind.OPEN, 0))
        self.assertEqual(result.created_stages, ["Engaging"])
        self.assertEqual(Opportunity.objects.get(name="Renewal").stage, engaging)

    def test_created_stage_after_open_stages(self):
        self.import_stage("Engaging", create_stages=True)

        names = list(Stage.objects.values_list("name", flat=True))
        self.assertEqual(names, [
            "Prospecting", "Qualification", "Needs analysis", "Proposal", "Negotiation",
            "Engaging", "On hold", "Closed won", "Closed lost",
        ])

    def test_create_stages_once_per_name(self):
        text = HEADER + "A,Acme Corporation,Engaging,1,2025-06-30\nB,Acme Corporation,ENGAGING,1,2025-06-30\n"

        self.import_csv(OPPORTUNITIES, text, create_stages=True)

        self.assertEqual(Stage.objects.filter(name__iexact="engaging").count(), 1)

    def test_rejected_rows_create_no_stage(self):
        text = HEADER + "Renewal,Acme Corporation,Demo,oops,2025-06-30\n"

        result = self.import_csv(OPPORTUNITIES, text, create_stages=True, skip_invalid=True)

        self.assertEqual(result.created_stages, [])
        self.assertFalse(Stage.objects.filter(name="Demo").exists())

    def test_invalid_file_creates_no_stage(self):
        text = HEADER + "A,Acme Corporation,Demo,1,2025-06-30\nB,Acme Corporation,Proposal,oops,2025-06-30\n"

        self.import_csv(OPPORTUNITIES, text, create_stages=True)

        self.assertFalse(Stage.objects.filter(name="Demo").exists())


class MatchingTests(ImportTestCase):
    def test_rerun_by_external_id_updates(self):
        self.import_csv(OPPORTUNITIES, "id," + HEADER + "X1,Renewal,Acme Corporation,Proposal,1000,2025-06-30\n")

        result = self.import_csv(OPPORTUNITIES, "id," + HEADER + "X1,Renewal 2025,Acme Corporation,Won,1200,2025-07-31\n")

        self.assertEqual((result.created, result.updated), (0, 1))
        opportunity = Opportunity.objects.get(external_id="X1")
        self.assertEqual(opportunity.name, "Renewal 2025")
        self.assertEqual(opportunity.stage, stage(StageKind.WON))
        self.assertEqual(opportunity.value, Decimal("1200.00"))

    def test_rerun_same_file_unchanged(self):
        text = "id," + HEADER + "X1,Renewal,Acme Corporation,Proposal,1000,2025-06-30\n"
        self.import_csv(OPPORTUNITIES, text)

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 1))
        self.assertEqual(Opportunity.objects.count(), 1)

    def test_same_name_different_ids_both_created(self):
        text = "id," + HEADER + (
            "X1,GTX Basic,Acme Corporation,Won,1000,2025-06-30\n"
            "X2,GTX Basic,Acme Corporation,Won,1000,2025-06-30\n"
        )

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(result.created, 2)

    def test_name_within_account_updates(self):
        existing = make_opportunity(self.account, "Renewal")

        result = self.import_csv(OPPORTUNITIES, HEADER + "renewal,Acme Corporation,Negotiation,5000,2025-06-30\n")

        self.assertEqual(result.updated, 1)
        existing.refresh_from_db()
        self.assertEqual(existing.stage, stage("Negotiation"))
        self.assertEqual(existing.value, Decimal("5000.00"))

    def test_same_name_other_account_created(self):
        make_opportunity(make_account("Globex"), "Renewal")

        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,1,2025-06-30\n")

        self.assertEqual(result.created, 1)
        self.assertEqual(Opportunity.objects.filter(name="Renewal").count(), 2)

    def test_external_id_of_deleted_opportunity_rejected(self):
        soft_delete(make_opportunity(self.account, "Renewal", external_id="X1"), self.owner)
        text = "id," + HEADER + "X1,Renewal 2026,Acme Corporation,Won,1200,2025-07-31\nX2,Pilot,Acme Corporation,Proposal,10,2025-07-31\n"

        result = self.import_csv(OPPORTUNITIES, text, skip_invalid=True)

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column id: the opportunity "Renewal" with external id X1 is in Deleted items; '
             "restore it, then import this row again"],
        )
        self.assertEqual(list(Opportunity.objects.values_list("external_id", flat=True)), ["X2"])
        self.assertEqual(Opportunity.all_objects.get(external_id="X1").name, "Renewal")

    def test_repeated_external_id_rejected(self):
        text = "id," + HEADER + (
            "X1,A,Acme Corporation,Proposal,1,2025-06-30\n"
            "X1,B,Acme Corporation,Proposal,1,2025-06-30\n"
        )

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(self.error_texts(result), ["line 3, column id: line 2 has the same external id"])

    def test_repeated_name_without_id_rejected(self):
        text = HEADER + "Renewal,Acme Corporation,Proposal,1,2025-06-30\nRENEWAL,Acme Corporation,Won,1,2025-06-30\n"

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(
            self.error_texts(result), ["line 3, column name: line 2 has the same opportunity name at the same account"]
        )

    def test_two_rows_same_opportunity_rejected(self):
        make_opportunity(self.account, "Renewal", external_id="X1")
        text = "id," + HEADER + (
            "X1,Renewal 2025,Acme Corporation,Proposal,1,2025-06-30\n"
            ",Renewal,Acme Corporation,Proposal,1,2025-06-30\n"
        )

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(self.error_texts(result), ["line 3, column name: updates the same opportunity as line 2"])

    def test_ambiguous_existing_name_rejected(self):
        make_opportunity(self.account, "Renewal")
        make_opportunity(self.account, "Renewal")

        result = self.import_csv(OPPORTUNITIES, HEADER + "Renewal,Acme Corporation,Proposal,1,2025-06-30\n")

        self.assertEqual(self.error_texts(result), [
            'line 2, column name: 2 opportunities at Acme Corporation are named "Renewal"; '
            "add an external id column to tell them apart"
        ])


class AllOrNothingTests(ImportTestCase):
    text = HEADER + "Good,Acme Corporation,Proposal,1,2025-06-30\nBad,Acme Corporation,Proposal,-1,2025-06-30\n"

    def test_invalid_row_writes_nothing(self):
        result = self.import_csv(OPPORTUNITIES, self.text)

        self.assertFalse(result.written)
        self.assertEqual(Opportunity.objects.count(), 0)

    def test_skip_invalid_writes_valid_rows(self):
        result = self.import_csv(OPPORTUNITIES, self.text, skip_invalid=True)

        self.assertTrue(result.written)
        self.assertEqual(list(Opportunity.objects.values_list("name", flat=True)), ["Good"])
        self.assertEqual(result.rejected_lines, [3])

    def test_lookups_not_repeated_per_row(self):
        header = "id,name,account,stage,value,close_date,owner\n"
        rows = "".join(f"X{index},Deal {index},Acme Corporation,Won,{index},2025-06-30,bob\n" for index in range(1500))

        with CaptureQueriesContext(connection) as queries:
            self.import_csv(OPPORTUNITIES, header + rows)

        # Custom-field definitions, stages, users and accounts once, then the opportunities with
        # the external ids of each batch.
        selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
        self.assertEqual(len(selects), 4 + math.ceil(1500 / record_import.BATCH_SIZE))
        self.assertEqual(Opportunity.objects.count(), 1500)

    def test_rows_written_in_batches(self):
        batch_size = record_import.BATCH_SIZE
        one_batch = self.count_inserts(batch_size, prefix="A")
        two_batches = self.count_inserts(2 * batch_size, prefix="B")

        # Each batch inserts its opportunities, their history rows and their stage changes. PostgreSQL
        # takes a batch in one statement per table; SQLite limits the parameters of one statement, so
        # it splits a batch into more statements, but still a fixed number per batch.
        self.assertEqual(two_batches, 2 * one_batch)
        self.assertLess(one_batch, batch_size / 10)
        self.assertEqual(Opportunity.objects.count(), 3 * batch_size)

    def count_inserts(self, row_count, prefix):
        header = "id,name,account,stage,value,close_date\n"
        rows = "".join(
            f"{prefix}{index},Deal {index},Acme Corporation,Won,{index},2025-06-30\n" for index in range(row_count)
        )

        with CaptureQueriesContext(connection) as queries:
            self.import_csv(OPPORTUNITIES, header + rows)

        return len([query["sql"] for query in queries if query["sql"].startswith("INSERT")])
