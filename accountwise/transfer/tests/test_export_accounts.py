import datetime

from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import AccountStatus, AccountType
from accountwise.contracts.models import ContractStatus
from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_values

LIST_URL = reverse("accounts:list")
XLSX_URL = reverse("transfer:export-accounts", args=["xlsx"])
CSV_URL = reverse("transfer:export-accounts", args=["csv"])

# Query strings of the accounts list whose rows the export must repeat.
FILTERS = [
    {},
    {"status": "all"},
    {"status": "archived"},
    {"type": "strategic"},
    {"q": "an"},
    {"q": "germany", "status": "all"},
    {"sort": "-name"},
    {"sort": "owner"},
    {"sort": "-country", "status": "all"},
    {"sort": "updated", "type": "normal"},
    {"status": "bogus", "sort": "bogus", "type": "bogus"},
]


class ExportAccountsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        countries = ["Germany", "France", "", "Japan"]
        for index in range(32):
            make_account(
                f"Customer {index:02d} {'Anvil' if index % 3 else 'Rocket'}",
                owner=[cls.owner, cls.teammate, None][index % 3],
                type=AccountType.STRATEGIC if index % 4 == 0 else AccountType.NORMAL,
                industry=["Retail", "Aerospace", ""][index % 3],
                country=countries[index % 4],
                status=AccountStatus.ARCHIVED if index % 5 == 0 else AccountStatus.ACTIVE,
            )

    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def _page_names(self, params: dict) -> list[str]:
        """Return the names the accounts list shows for the filters, page after page."""
        names, number = [], 1
        while True:
            response = self.client.get(LIST_URL, {**params, "page": number})
            page = response.context["page"]
            names += [account.name for account in page]
            if not page.has_next():
                return names
            number += 1

    def test_csv_rows_equal_list(self):
        for params in FILTERS:
            with self.subTest(params=params):
                response = self.client.get(CSV_URL, params)

                exported = column(csv_rows(content_of(response)), "Name")
                self.assertEqual(exported, self._page_names(params))

    def test_xlsx_rows_equal_list(self):
        for params in FILTERS:
            with self.subTest(params=params):
                response = self.client.get(XLSX_URL, params)

                exported = column(xlsx_values(content_of(response)), "Name")
                self.assertEqual(exported, self._page_names(params))

    def test_holds_every_page(self):
        response = self.client.get(CSV_URL, {"status": "all", "page": 2})

        self.assertEqual(len(csv_rows(content_of(response))), 1 + 33)

    def test_row_values(self):
        parent = make_account("Acme Group")
        account = make_account(
            "Initech", owner=self.owner, type=AccountType.STRATEGIC, industry="Software",
            country="USA", parent=parent, external_id="SF-001",
        )
        make_contract(account)
        make_contract(account, status=ContractStatus.ARCHIVED)
        make_opportunity(account, stage=stage("Proposal"))
        make_opportunity(account, stage=stage("won"))
        updated = timezone.localdate(account.updated_at).isoformat()

        response = self.client.get(CSV_URL, {"q": "initech"})

        self.assertEqual(csv_rows(content_of(response)), [
            ["Name", "Type", "Status", "Owner", "Industry", "Country", "Parent", "Active contracts",
             "Open opportunities", "Updated", "External ID"],
            ["Initech", "Strategic", "Active", "Bob", "Software", "USA", "Acme Group", "1", "1", updated, "SF-001"],
        ])

    def test_xlsx_counts_are_numbers(self):
        make_contract(self.account)

        rows = xlsx_values(content_of(self.client.get(XLSX_URL, {"q": "acme"})))

        self.assertEqual(column(rows, "Active contracts"), [1])
        self.assertIsInstance(column(rows, "Updated")[0], datetime.datetime)

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(CSV_URL, {"q": "acme"})

                self.assertEqual(response.status_code, 200)
                self.assertEqual(column(csv_rows(content_of(response)), "Name"), ["Acme Corporation"])

    def test_csv_response_headers(self):
        response = self.client.get(CSV_URL)
        today = timezone.localdate().isoformat()

        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="accounts-{today}.csv"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response["Cache-Control"])

    def test_xlsx_response_headers(self):
        response = self.client.get(XLSX_URL)
        today = timezone.localdate().isoformat()

        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="accounts-{today}.xlsx"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(content_of(response).startswith(b"PK"))

    def test_unknown_format_not_found(self):
        response = self.client.get(reverse("transfer:export-accounts", args=["pdf"]))

        self.assertEqual(response.status_code, 404)

    def test_post_not_allowed(self):
        response = self.client.post(CSV_URL)

        self.assertEqual(response.status_code, 405)



class ExportAccountsQueryTests(BaseTestCase):
    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def _add_accounts(self, count: int) -> None:
        for _ in range(count):
            account = make_account(owner=self.teammate, parent=self.account)
            make_contract(account)
            make_opportunity(account)

    def test_query_count_constant(self):
        for total in (5, 50):
            self._add_accounts(total - self.account.subsidiaries.count())
            for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
                url = reverse("transfer:export-accounts", args=[file_format])
                with self.subTest(file_format=file_format, total=total):
                    # Session, user, custom-field definitions, organisation, then one query for all the rows.
                    with self.assertNumQueries(5):
                        data = content_of(self.client.get(url, {"status": "all"}))
                    self.assertEqual(len(reader(data)), 1 + 1 + total)
