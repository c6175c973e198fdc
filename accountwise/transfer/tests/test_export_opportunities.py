import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_account, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_sheet, xlsx_values

STATUS_FILTERS = [
    {}, {"opportunities": "active"}, {"opportunities": "on_hold"}, {"opportunities": "closed_won"},
    {"opportunities": "closed_lost"}, {"opportunities": "all"}, {"opportunities": "bogus"},
]


def _url(account, file_format: str = "csv") -> str:
    return reverse("transfer:export-opportunities", args=[account.pk, file_format])


class ExportOpportunitiesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        stages = ["Proposal", "Prospecting", "on_hold", "won", "lost", "Negotiation", "won"]
        for index, name in enumerate(stages):
            make_opportunity(
                cls.account, f"Opportunity {index}", stage=stage(name),
                close_date=datetime.date(2027, 1 + index % 3, 1),
            )
        make_opportunity(make_account("Globex"), "Globex deal")

    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def _section_names(self, params: dict) -> list[str]:
        """Return the names the opportunities section on the account page shows."""
        response = self.client.get(self.account.get_absolute_url(), params)
        return [opportunity.name for opportunity in response.context["opportunities_section"]["opportunities"]]

    def test_rows_equal_section(self):
        for params in STATUS_FILTERS:
            for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
                with self.subTest(params=params, file_format=file_format):
                    response = self.client.get(_url(self.account, file_format), params)

                    exported = column(reader(content_of(response)), "Name")
                    self.assertEqual(exported, self._section_names(params))

    def test_active_by_default(self):
        response = self.client.get(_url(self.account))

        names = column(csv_rows(content_of(response)), "Name")
        self.assertEqual(sorted(names), ["Opportunity 0", "Opportunity 1", "Opportunity 5"])

    def test_row_values(self):
        account = make_account("Initech")
        make_opportunity(
            account, "Renewal", stage=stage("Negotiation"), value=Decimal("2500.00"),
            close_date=datetime.date(2027, 3, 31), owner=self.teammate, external_id="O-7",
        )

        response = self.client.get(_url(account))

        self.assertEqual(csv_rows(content_of(response))[1], [
            "Initech", "Renewal", "Negotiation", "0.8", "2500.00", "2000.00", "2027-03-31",
            "Charlie", "Active", "O-7",
        ])

    def test_closed_status_labels(self):
        response = self.client.get(_url(self.account), {"opportunities": "all"})

        statuses = set(column(csv_rows(content_of(response)), "Status"))
        self.assertEqual(statuses, {"Active", "On hold", "Closed won", "Closed lost"})

    def test_xlsx_types(self):
        response = self.client.get(_url(self.account, "xlsx"))

        sheet = xlsx_sheet(content_of(response))
        self.assertEqual(sheet["D1"].value, "Probability")
        self.assertEqual(sheet["D2"].number_format, "0%")
        self.assertEqual((sheet["E2"].data_type, sheet["E2"].value), ("n", 1000))
        self.assertIsInstance(sheet["G2"].value, datetime.datetime)

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(_url(self.account))

                self.assertEqual(response.status_code, 200)

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("transfer:export-opportunities", args=[999999, "xlsx"]))

        self.assertEqual(response.status_code, 404)

    def test_filename_names_account(self):
        response = self.client.get(_url(self.account, "csv"))

        today = timezone.localdate().isoformat()
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="opportunities-acme-corporation-{today}.csv"',
        )

    def test_sheet_title_shortened(self):
        response = self.client.get(_url(self.account, "xlsx"))

        self.assertEqual(xlsx_sheet(content_of(response)).title, "Opportunities – Acme Corporati…")


class ExportOpportunitiesQueryTests(BaseTestCase):
    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def test_query_count_constant(self):
        for total in (5, 50):
            for _ in range(total - self.account.opportunities.count()):
                make_opportunity(self.account, owner=self.teammate)
            for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
                with self.subTest(file_format=file_format, total=total):
                    # Session, user, account, custom-field definitions, organisation, then one query
                    # for all the rows.
                    with self.assertNumQueries(6):
                        data = content_of(self.client.get(_url(self.account, file_format)))
                    self.assertEqual(len(reader(data)), 1 + total)
