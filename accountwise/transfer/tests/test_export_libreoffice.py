"""Open exported workbooks in LibreOffice, converting them to CSV as LibreOffice shows them.

Debian's libreoffice-calc-nogui package provides the libreoffice command.
"""

import csv
import datetime
import io
import shutil
import subprocess
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_contract, make_opportunity, stage
from accountwise.transfer.export.lists import CONTRACTS, OPPORTUNITIES, Export
from accountwise.transfer.export.rows import contract_rows, opportunity_rows
from accountwise.transfer.export.writers import write_xlsx

LIBREOFFICE = shutil.which("libreoffice")
# Comma, double quote, UTF-8 (76), from line 1, default cell format, English (US)
# (1033), quoted text not as numbers, detect special numbers, save cells as shown.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true"


@unittest.skipIf(LIBREOFFICE is None, "libreoffice is not installed (Debian package libreoffice-calc-nogui)")
class LibreOfficeTests(BaseTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def _convert(self, export: Export) -> list[list[str]]:
        """Write the export as XLSX, convert it with LibreOffice and return the CSV rows it wrote."""
        source = self.folder / "export.xlsx"
        with source.open("wb") as file:
            write_xlsx(export, file)

        # A profile of its own lets this run beside another LibreOffice, as under pytest-xdist.
        profile = (self.folder / "profile").as_uri()
        result = subprocess.run(
            [LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", CSV_FILTER, "--outdir", str(self.folder / "out"), str(source)],
            capture_output=True, text=True, timeout=180, check=False,
        )
        converted = self.folder / "out" / "export.csv"
        self.assertTrue(converted.exists(), f"LibreOffice did not convert the file: {result.stdout}{result.stderr}")
        return list(csv.reader(io.StringIO(converted.read_text("utf-8"), newline="")))

    def test_opportunities_shown_typed(self):
        make_opportunity(
            self.account, '=HYPERLINK("x")', stage=stage("Proposal"), value=Decimal("1234.50"),
            close_date=datetime.date(2027, 3, 31), owner=self.owner,
        )
        rows = opportunity_rows(self.account.opportunities.all(), "all")

        converted = self._convert(Export(OPPORTUNITIES, rows, subject=self.account.name, currency="USD"))

        self.assertEqual(converted, [
            OPPORTUNITIES.headers,
            ["Acme Corporation", '=HYPERLINK("x")', "Proposal", "60%", "$1,234.50", "$740.70",
             "2027-03-31", "Bob", "Active", ""],
        ])

    def test_contracts_in_euro(self):
        Organisation.objects.update_or_create(pk=1, defaults={"currency": "EUR"})
        make_contract(self.account, "+1", value=Decimal("99.99"), start_date=datetime.date(2026, 1, 1))
        rows = contract_rows(self.account.contracts.all(), "all")

        converted = self._convert(Export(CONTRACTS, rows, subject=self.account.name))

        self.assertEqual(converted[1], ["Acme Corporation", "+1", "€99.99", "2026-01-01", "", "Active", "", ""])
