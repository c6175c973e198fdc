import csv
import io
import datetime
from decimal import Decimal
from unittest import mock

import openpyxl
from django.urls import reverse

from accountwise.opportunities.models import StageChange
from accountwise.reports.opportunity_profile import ACCOUNT_TABLE_LIMIT
from accountwise.reports.tests.factories import TODAY, make_portfolio
from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage

PROFILE = reverse("reports:opportunity-profile")
BUSINESS = reverse("reports:contracts-opportunities")
CALIBRATION = reverse("reports:stage-calibration")
PAGES = [PROFILE, BUSINESS, CALIBRATION]


def _today():
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


class ReportAccessTests(BaseTestCase):
    def test_requires_login(self):
        for url in [*PAGES, reverse("reports:index")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])

    def test_every_member_sees_reports(self):
        for user in (self.admin, self.owner, self.teammate, self.outsider):
            self.login(user)
            for url in PAGES:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_unknown_account_is_404(self):
        self.login(self.owner)

        for url in PAGES:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url, {"account": "999999"}).status_code, 404)
                self.assertEqual(self.client.get(url, {"account": "abc"}).status_code, 404)

    def test_unknown_download_is_404(self):
        self.login(self.owner)

        self.assertEqual(self.client.get(PROFILE, {"download": "nothing"}).status_code, 404)
        self.assertEqual(self.client.get(PROFILE, {"download": "stage", "format": "pdf"}).status_code, 404)


class EmptyReportTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_profile_shows_dashes(self):
        with _today():
            response = self.client.get(PROFILE)

        self.assertContains(response, '<div class="fs-5 fw-semibold aw-figure" data-testid="figure-win-rate">—</div>', html=True)
        self.assertContains(response, "No open opportunities in this selection.")
        self.assertContains(response, "No opportunity closed in this period.")
        self.assertContains(response, "No open opportunity has a close date in the past.")

    def test_business_empty_state(self):
        response = self.client.get(BUSINESS)

        self.assertContains(response, "No account in this selection has an active contract")

    def test_calibration_without_history(self):
        response = self.client.get(CALIBRATION)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["table"].rows[0][2], None)
        self.assertContains(response, "Prospecting")


class OpportunityProfilePageTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.login(self.owner)

    def test_figures_on_page(self):
        with _today():
            response = self.client.get(PROFILE)

        self.assertContains(response, "$9,800.50")
        self.assertContains(response, "66.7 %")
        self.assertContains(response, "$2,500.00")  # Average won value of the fiscal year.
        self.assertEqual(response.context["period"].start, datetime.date(2026, 4, 1))
        self.assertEqual(response.context["overdue"].count, 1)

    def test_chosen_period(self):
        with _today():
            response = self.client.get(PROFILE, {"start": "2026-04-01", "end": "2026-04-01"})

        self.assertEqual(response.context["outcomes"].win_rate, Decimal("100.0"))

    def test_period_end_before_start(self):
        with _today():
            response = self.client.get(PROFILE, {"start": "2026-05-01", "end": "2026-04-01"})

        self.assertContains(response, "before it starts on 01 May 2026")
        # The figures fall back to the fiscal year rather than failing.
        self.assertEqual(response.context["period"].start, datetime.date(2026, 4, 1))

    def test_one_account(self):
        with _today():
            response = self.client.get(PROFILE, {"account": self.globex.pk})

        self.assertEqual(response.context["pipeline"]["total_value"], Decimal("1500.00"))
        self.assertContains(response, "For <a href=\"%s\">Globex</a> only." % self.globex.get_absolute_url(), html=False)

    def test_csv_equals_table(self):
        with _today():
            response = self.client.get(PROFILE, {"download": "stage", "format": "csv"})
            table = self.client.get(PROFILE).context["tables"]["stage"]

        rows = _csv_rows(response)
        self.assertEqual(rows[0], ["Stage", "Probability", "Opportunities", "Total value", "Estimated value"])
        self.assertEqual(rows[4], ["Proposal", "0.6", "2", "3000.00", "1800.00"])
        self.assertEqual(rows[-1], ["Total", "", "5", "9800.50", "6130.05"])
        self.assertEqual(len(rows), len(table.rows) + 2)

    def test_xlsx_equals_table(self):
        with _today():
            response = self.client.get(PROFILE, {"download": "owner", "format": "xlsx"})

        self.assertIn("report-owner", response["Content-Disposition"])
        rows = _xlsx_rows(response)
        self.assertEqual(rows[1], ("Bob", 2, 6000, 4600))
        self.assertEqual(rows[-1], ("Total", 5, 9800.5, 6130.05))

    def test_account_table_limited_on_page_only(self):
        for index in range(ACCOUNT_TABLE_LIMIT):
            make_opportunity(make_account(f"Extra {index:02d}"), stage=stage("Proposal"), value=Decimal("10.00"))

        with _today():
            table = self.client.get(PROFILE).context["tables"]["account"]
            rows = _csv_rows(self.client.get(PROFILE, {"download": "account", "format": "csv"}))

        self.assertEqual(len(table.rows), ACCOUNT_TABLE_LIMIT)
        self.assertEqual(table.hidden_count, 2)  # Acme and Globex come first, 27 accounts in all.
        self.assertEqual(len(rows), ACCOUNT_TABLE_LIMIT + 2 + 2)  # Header, every account, totals.
        self.assertEqual(table.totals[1], 5 + ACCOUNT_TABLE_LIMIT)

    def test_query_count_constant(self):
        def grow():
            for index in range(15):
                account = make_account(f"Extra {index}", owner=self.teammate)
                make_opportunity(account, stage=stage("Proposal"), owner=self.teammate)
                make_opportunity(account, stage=stage("won"), close_date=datetime.date(2026, 6, 1))

        with _today():
            assert_constant_queries(self, lambda: self.client.get(PROFILE), grow)


class BusinessPageTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        make_contract(self.account, value=Decimal("10000.00"), end_date=TODAY + datetime.timedelta(days=30))
        self.login(self.owner)

    def test_rows_and_totals(self):
        with _today():
            response = self.client.get(BUSINESS)

        table = response.context["table"]
        self.assertEqual(
            table.rows[0],
            ["Acme Corporation", 1, Decimal("10000.00"), 1, 1, 1, 4, Decimal("8300.50"), Decimal("5830.05"), Decimal("5000.00")],
        )
        self.assertEqual(
            table.totals,
            ["Total", 1, Decimal("10000.00"), 1, 1, 1, 5, Decimal("9800.50"), Decimal("6130.05"), Decimal("5000.00")],
        )
        self.assertContains(response, "Won value FY 2026/27")

    def test_csv_equals_table(self):
        with _today():
            response = self.client.get(BUSINESS, {"download": "accounts", "format": "csv"})

        rows = _csv_rows(response)
        self.assertEqual(rows[1], ["Acme Corporation", "1", "10000.00", "1", "1", "1", "4", "8300.50", "5830.05", "5000.00"])
        self.assertEqual(rows[2][0], "Globex")
        self.assertEqual(rows[-1], ["Total", "1", "10000.00", "1", "1", "1", "5", "9800.50", "6130.05", "5000.00"])

    def test_query_count_constant(self):
        def grow():
            for index in range(15):
                account = make_account(f"Extra {index}")
                make_contract(account, end_date=TODAY + datetime.timedelta(days=10))
                make_opportunity(account, stage=stage("Proposal"))

        with _today():
            assert_constant_queries(self, lambda: self.client.get(BUSINESS), grow)

    def test_chart_largest_first(self):
        with _today():
            chart = self.client.get(BUSINESS).context["chart_table"]

        self.assertEqual(
            chart.rows,
            [
                ["Acme Corporation", Decimal("10000.00"), Decimal("8300.50"), Decimal("5830.05")],
                ["Globex", Decimal("0.00"), Decimal("1500.00"), Decimal("300.00")],
            ],
        )

    def test_second_page(self):
        with _today(), mock.patch("accountwise.reports.views.ACCOUNTS_PER_PAGE", 1):
            response = self.client.get(BUSINESS, {"page": "2"})

        self.assertEqual([row[0] for row in response.context["table"].rows], ["Globex"])
        self.assertEqual(response.context["table"].totals[7], Decimal("9800.50"))
        self.assertContains(response, "Accounts 2–2 of 2.")

    def test_page_past_end_shows_last(self):
        with _today(), mock.patch("accountwise.reports.views.ACCOUNTS_PER_PAGE", 1):
            response = self.client.get(BUSINESS, {"page": "9"})

        self.assertEqual(response.context["page"].number, 2)
        self.assertEqual([row[0] for row in response.context["table"].rows], ["Globex"])

    def test_csv_holds_every_page(self):
        with _today(), mock.patch("accountwise.reports.views.ACCOUNTS_PER_PAGE", 1):
            rows = _csv_rows(self.client.get(BUSINESS, {"download": "accounts", "format": "csv"}))

        self.assertEqual([row[0] for row in rows[1:-1]], ["Acme Corporation", "Globex"])

    def test_chart_csv(self):
        with _today():
            rows = _csv_rows(self.client.get(BUSINESS, {"download": "largest", "format": "csv"}))

        self.assertEqual(rows[1], ["Acme Corporation", "10000.00", "8300.50", "5830.05"])
        self.assertEqual(rows[2][0], "Globex")


class CalibrationPageTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_query_count_constant(self):
        def grow():
            for _ in range(10):
                opportunity = make_opportunity(self.account, stage=stage("won"))
                StageChange.objects.create(opportunity=opportunity, to_stage=stage("Proposal"))

        assert_constant_queries(self, lambda: self.client.get(CALIBRATION), grow)

    def test_xlsx_download(self):
        response = self.client.get(CALIBRATION, {"download": "calibration", "format": "xlsx"})

        rows = _xlsx_rows(response)
        self.assertEqual(rows[0][:3], ("Stage", "Configured probability", "Observed win rate"))
        self.assertEqual(rows[1][:3], ("Prospecting", 0.1, None))

