"""The export command filters contracts and opportunities as the portfolio views do."""

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command

from accountwise.portfolio.models import SavedFilter
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, csv_rows


class ExportCommandPortfolioFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        globex = make_account("Globex", owner=cls.teammate, country="Germany")
        make_account("Initech").team_members.set([cls.outsider])
        make_contract(cls.account, "Acme small", value=Decimal("100.00"))
        make_contract(cls.account, "Acme large", value=Decimal("900.00"))
        make_contract(globex, "Globex large", value=Decimal("700.00"))
        make_opportunity(cls.account, "Deal A", value=Decimal("1000.00"), stage=stage("Proposal"))
        make_opportunity(globex, "Deal B", value=Decimal("300.00"), stage=stage("Negotiation"))

    def _export(self, *args) -> list[list[str]]:
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "out.csv"
            call_command("export", *args, "--output", str(output), stdout=io.StringIO())
            return csv_rows(output.read_bytes())

    def test_filter_options_and_sort(self):
        rows = self._export("contracts", "--filter", "value_min=500", "--filter", "sort=-value")

        self.assertEqual(column(rows, "Name"), ["Acme large", "Globex large"])

    def test_account_criterion_through_filter(self):
        rows = self._export("opportunities", "--filter", "account_country=germany")

        self.assertEqual(column(rows, "Name"), ["Deal B"])

    def test_team_member(self):
        rows = self._export("contracts", "--team-member", "charlie")

        self.assertEqual(column(rows, "Name"), ["Acme small", "Acme large"])

    def test_saved_filter(self):
        saved = SavedFilter.objects.create(
            owner=self.owner, name="Large", entity="contracts", params={"value_min": ["500"], "sort": ["name"]}
        )

        rows = self._export("contracts", "--saved-filter", str(saved.pk))

        self.assertEqual(column(rows, "Name"), ["Acme large", "Globex large"])

    def test_unknown_filter_is_named(self):
        with self.assertRaisesMessage(CommandError, "Unknown filter colour for contracts"):
            self._export("contracts", "--filter", "colour=red")

    def test_invalid_filter_is_named(self):
        with self.assertRaisesMessage(CommandError, "ends_within"):
            self._export("contracts", "--filter", "ends_within=7")

    def test_malformed_filter(self):
        with self.assertRaisesMessage(CommandError, "Write it as NAME=VALUE"):
            self._export("contracts", "--filter", "ends_within")
