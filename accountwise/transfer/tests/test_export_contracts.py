import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accountwise.contracts.models import ContractStatus
from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_account, make_contract
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_sheet, xlsx_values


def _url(account, file_format: str = "csv") -> str:
    return reverse("transfer:export-contracts", args=[account.pk, file_format])


class ExportContractsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for index, end in enumerate([None, "2027-03-31", "2026-06-30", "2026-06-30", None, "2028-01-01"]):
            make_contract(
                cls.account, f"Contract {index}",
                end_date=datetime.date.fromisoformat(end) if end else None,
                status=ContractStatus.ARCHIVED if index % 3 == 0 else ContractStatus.ACTIVE,
            )
        make_contract(make_account("Globex"), "Globex support")

    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def _section_names(self, params: dict) -> list[str]:
        """Return the names the contracts section on the account page shows."""
        response = self.client.get(self.account.get_absolute_url(), params)
        return [contract.name for contract in response.context["contracts_section"]["contracts"]]

    def test_rows_equal_section(self):
        for params in ({}, {"contracts": "active"}, {"contracts": "archived"}, {"contracts": "all"},
                       {"contracts": "bogus"}):
            for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
                with self.subTest(params=params, file_format=file_format):
                    response = self.client.get(_url(self.account, file_format), params)

                    exported = column(reader(content_of(response)), "Name")
                    self.assertEqual(exported, self._section_names(params))

    def test_active_by_default(self):
        response = self.client.get(_url(self.account))

        names = column(csv_rows(content_of(response)), "Name")
        self.assertEqual(sorted(names), ["Contract 1", "Contract 2", "Contract 4", "Contract 5"])

    def test_row_values(self):
        account = make_account("Initech")
        make_contract(
            account, "Support", value=Decimal("1234.50"), start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31), owner=self.owner, external_id="C-1",
        )

        response = self.client.get(_url(account))

        self.assertEqual(csv_rows(content_of(response))[1], [
            "Initech", "Support", "1234.50", "2026-01-01", "2026-12-31", "Active", "Bob", "C-1",
        ])

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(_url(self.account))

                self.assertEqual(response.status_code, 200)

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("transfer:export-contracts", args=[999999, "csv"]))

        self.assertEqual(response.status_code, 404)

    def test_unknown_format_not_found(self):
        response = self.client.get(_url(self.account, "ods"))

        self.assertEqual(response.status_code, 404)

    def test_filename_names_account(self):
        response = self.client.get(_url(self.account, "xlsx"))

        today = timezone.localdate().isoformat()
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="contracts-acme-corporation-{today}.xlsx"',
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_sheet_names_account(self):
        response = self.client.get(_url(self.account, "xlsx"))

        self.assertEqual(xlsx_sheet(content_of(response)).title, "Contracts – Acme Corporation")


class ExportContractsQueryTests(BaseTestCase):
    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def test_query_count_constant(self):
        for total in (5, 50):
            for _ in range(total - self.account.contracts.count()):
                make_contract(self.account, owner=self.teammate)
            for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
                with self.subTest(file_format=file_format, total=total):
                    # Session, user, account, custom-field definitions, organisation, then one query
                    # for all the rows.
                    with self.assertNumQueries(6):
                        data = content_of(self.client.get(_url(self.account, file_format)))
                    self.assertEqual(len(reader(data)), 1 + total)
