"""Contracts and opportunities are checked and written in batches inside one transaction."""

from accountwise.opportunities.models import Opportunity
from accountwise.transfer import record_import
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import OPPORTUNITIES, map_columns
from accountwise.transfer.readers import read_table
from accountwise.transfer.tests.support import ImportTestCase

HEADER = "name,account,stage,value,close_date\n"


def rows(count: int, bad_line: int | None = None) -> str:
    lines = []
    for index in range(count):
        value = "-1" if index + 2 == bad_line else str(index)
        lines.append(f"Deal {index},Acme Corporation,Proposal,{value},2027-01-31\n")
    return HEADER + "".join(lines)


class BatchImportTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.size = record_import.BATCH_SIZE

    def test_invalid_row_in_last_batch_writes_nothing(self):
        last_line = 2 * self.size + 1

        result = self.import_csv(OPPORTUNITIES, rows(2 * self.size, bad_line=last_line))

        self.assertFalse(result.written)
        self.assertEqual(result.rejected_lines, [last_line])
        self.assertEqual(Opportunity.objects.count(), 0)

    def test_errors_after_first_invalid_batch_reported(self):
        text = rows(2 * self.size).replace("Deal 0,Acme Corporation,Proposal,0", "Deal 0,Acme Corporation,Proposal,x")
        text = text.replace(f"Deal {self.size + 5},Acme Corporation", f"Deal {self.size + 5},Globex")

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(result.rejected_lines, [2, self.size + 7])

    def test_skip_invalid_writes_every_valid_batch(self):
        result = self.import_csv(OPPORTUNITIES, rows(2 * self.size + 10, bad_line=3), skip_invalid=True)

        self.assertTrue(result.written)
        self.assertEqual(Opportunity.objects.count(), 2 * self.size + 9)

    def test_repeat_across_batches_rejected(self):
        text = rows(self.size + 1).replace(f"Deal {self.size},", "Deal 0,")

        result = self.import_csv(OPPORTUNITIES, text)

        self.assertEqual(
            self.error_texts(result),
            [f"line {self.size + 2}, column name: line 2 has the same opportunity name at the same account"],
        )

    def test_row_count_counts_every_row(self):
        result = self.import_csv(OPPORTUNITIES, rows(self.size + 3))

        self.assertEqual(result.row_count, self.size + 3)

    def test_progress_reported_per_batch(self):
        reports = []
        table = read_table(self.write_csv(rows(self.size + 3)))
        run_import(
            table, map_columns(table.headers, OPPORTUNITIES), progress=lambda done, phase: reports.append((done, phase))
        )

        self.assertEqual(reports, [(self.size, "importing"), (self.size + 3, "importing")])
