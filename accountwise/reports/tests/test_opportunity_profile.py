import datetime
from decimal import Decimal

from django.utils import timezone

from accountwise.opportunities.models import Opportunity
from accountwise.reports import opportunity_profile as profile
from accountwise.reports.periods import Period
from accountwise.reports.tests.factories import TODAY, make_portfolio
from accountwise.test import BaseTestCase, stage

FISCAL_YEAR = Period(datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))


def _figures(rows) -> list[tuple]:
    return [(row.label, row.count, row.total_value, row.estimated_value) for row in rows]


class PipelineTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.opportunities = Opportunity.objects.all()
        self.pipeline = profile.OpenPipeline(self.opportunities, TODAY, timezone.now())

    def test_by_stage_in_stage_order(self):
        rows = self.pipeline.by_stage()

        self.assertEqual(
            _figures(rows),
            [
                ("Prospecting", 1, Decimal("300.50"), Decimal("30.05")),
                ("Qualification", 1, Decimal("1500.00"), Decimal("300.00")),
                ("Needs analysis", 0, Decimal("0.00"), Decimal("0.00")),
                ("Proposal", 2, Decimal("3000.00"), Decimal("1800.00")),
                ("Negotiation", 1, Decimal("5000.00"), Decimal("4000.00")),
            ],
        )

    def test_by_stage_keeps_probability(self):
        rows = self.pipeline.by_stage()

        self.assertEqual([row.extra["probability"] for row in rows], [10, 20, 40, 60, 80])

    def test_by_close_month(self):
        rows = self.pipeline.by_close_month()

        self.assertEqual(
            _figures(rows),
            [
                ("Nov 2026", 1, Decimal("300.50"), Decimal("30.05")),
                ("Jan 2027", 2, Decimal("3000.00"), Decimal("1800.00")),
                ("Feb 2027", 1, Decimal("1500.00"), Decimal("300.00")),
                ("Mar 2027", 1, Decimal("5000.00"), Decimal("4000.00")),
            ],
        )

    def test_by_owner(self):
        rows = self.pipeline.by_owner()

        self.assertEqual(
            _figures(rows),
            [
                ("Bob", 2, Decimal("6000.00"), Decimal("4600.00")),
                ("Charlie", 1, Decimal("2000.00"), Decimal("1200.00")),
                ("Dave", 1, Decimal("1500.00"), Decimal("300.00")),
                ("No owner", 1, Decimal("300.50"), Decimal("30.05")),
            ],
        )

    def test_by_account(self):
        rows = profile.pipeline_by_account(self.opportunities).rows

        self.assertEqual(
            _figures(rows),
            [
                ("Acme Corporation", 4, Decimal("8300.50"), Decimal("5830.05")),
                ("Globex", 1, Decimal("1500.00"), Decimal("300.00")),
            ],
        )
        self.assertEqual(rows[0].url, self.account.get_absolute_url())

    def test_by_account_limit_counts_all(self):
        accounts = profile.pipeline_by_account(self.opportunities, limit=1)

        self.assertEqual([row.label for row in accounts.rows], ["Acme Corporation"])
        self.assertEqual(accounts.account_count, 2)

    def test_by_account_without_open_opportunities(self):
        accounts = profile.pipeline_by_account(Opportunity.objects.none(), limit=1)

        self.assertEqual((accounts.rows, accounts.account_count), ([], 0))

    def test_tables_totals_and_overdue_read_the_opportunities_once(self):
        pipeline = profile.OpenPipeline(self.opportunities, TODAY, timezone.now())
        pipeline.by_stage()  # Reads the groups, and the stages.

        with self.assertNumQueries(1):  # The owners; the groups and the stages are read.
            pipeline.by_stage()
            pipeline.by_close_month()
            pipeline.by_owner()
            pipeline.totals()
            pipeline.average_age()
        with self.assertNumQueries(1):  # The oldest overdue ones; their totals come from the groups.
            pipeline.overdue()

    def test_groups_add_up_to_portfolio_totals(self):
        totals = self.pipeline.totals()

        self.assertEqual(totals, {"count": 5, "total_value": Decimal("9800.50"), "estimated_value": Decimal("6130.05")})
        for rows in (
            self.pipeline.by_stage(),
            self.pipeline.by_close_month(),
            self.pipeline.by_owner(),
            profile.pipeline_by_account(self.opportunities).rows,
        ):
            self.assertEqual(sum(row.count for row in rows), totals["count"])
            self.assertEqual(sum(row.total_value for row in rows), totals["total_value"])
            self.assertEqual(sum(row.estimated_value for row in rows), totals["estimated_value"])

    def test_retired_stage_without_opportunities_left_out(self):
        needs_analysis = stage("Needs analysis")
        needs_analysis.is_retired = True
        needs_analysis.save()

        rows = self.pipeline.by_stage()

        self.assertNotIn("Needs analysis", [row.label for row in rows])


class WinRateTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.opportunities = Opportunity.objects.all()

    def test_fiscal_year_counts_both_ends(self):
        result = profile.win_rate_in_period(self.opportunities, FISCAL_YEAR)

        # Won on 2026-04-01 and 2026-05-10; lost on 2027-03-31. The loss of 2026-03-31 is before.
        self.assertEqual(result.won_count, 2)
        self.assertEqual(result.lost_count, 1)
        self.assertEqual(result.won_value, Decimal("5000.00"))
        self.assertEqual(result.average_won_value, Decimal("2500.00"))
        self.assertEqual(result.win_rate, Decimal("66.7"))

    def test_period_ending_before_first_day(self):
        period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

        result = profile.win_rate_in_period(self.opportunities, period)

        self.assertEqual((result.won_count, result.lost_count), (0, 1))
        self.assertEqual(result.win_rate, Decimal("0.0"))
        self.assertIsNone(result.average_won_value)

    def test_single_day_period(self):
        period = Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 1))

        result = profile.win_rate_in_period(self.opportunities, period)

        self.assertEqual(result.win_rate, Decimal("100.0"))
        self.assertEqual(result.average_won_value, Decimal("1000.00"))

    def test_nothing_closed_is_undefined(self):
        period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))

        result = profile.win_rate_in_period(self.opportunities, period)

        self.assertIsNone(result.win_rate)
        self.assertEqual(result.won_value, Decimal("0.00"))
        self.assertEqual(result.closed_count, 0)


class AgeAndOverdueTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.opportunities = Opportunity.objects.all()

    def test_average_age_of_open(self):
        now = timezone.make_aware(datetime.datetime(2026, 12, 4, 12, 0))
        ages = {self.proposal_small: 10, self.proposal_large: 20, self.negotiation: 30, self.overdue: 40,
                self.qualification: 1}
        for opportunity, days in ages.items():
            Opportunity.objects.filter(pk=opportunity.pk).update(created_at=now - datetime.timedelta(days=days))
        # Closed and on-hold opportunities are not open, so their age does not count.
        Opportunity.objects.filter(pk=self.won_may.pk).update(created_at=now - datetime.timedelta(days=900))

        age = profile.OpenPipeline(self.opportunities, TODAY, now).average_age()

        self.assertEqual(age, Decimal("20.2"))  # (10 + 20 + 30 + 40 + 1) / 5

    def test_average_age_without_open(self):
        self.assertIsNone(profile.OpenPipeline(Opportunity.objects.none(), TODAY, timezone.now()).average_age())

    def test_overdue_open_only(self):
        # Closed and on-hold opportunities with a past close date are not overdue.
        result = profile.OpenPipeline(self.opportunities, TODAY, timezone.now()).overdue()

        self.assertEqual(result.count, 1)
        self.assertEqual(result.total_value, Decimal("300.50"))
        self.assertEqual(result.estimated_value, Decimal("30.05"))
        self.assertEqual(result.opportunities, [self.overdue])

    def test_close_date_today_not_overdue(self):
        Opportunity.objects.filter(pk=self.overdue.pk).update(close_date=TODAY)

        result = profile.OpenPipeline(self.opportunities, TODAY, timezone.now()).overdue()

        self.assertEqual(result.count, 0)


class CloseDatePushTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.opportunities = Opportunity.objects.all()
        self.period = Period(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))

    def _save_close_date(self, opportunity, day: datetime.date, **changes) -> None:
        opportunity.close_date = day
        for name, value in changes.items():
            setattr(opportunity, name, value)
        opportunity.save()

    def test_counts_later_dates_only(self):
        self._save_close_date(self.negotiation, datetime.date(2027, 4, 1))  # Pushed.
        self._save_close_date(self.negotiation, datetime.date(2027, 5, 1))  # Pushed again.
        self._save_close_date(self.negotiation, datetime.date(2027, 2, 1))  # Brought forward.
        self._save_close_date(self.proposal_small, datetime.date(2027, 1, 15), value=Decimal("1200.00"))  # Same date.
        self._save_close_date(self.overdue, datetime.date(2026, 12, 31))  # Pushed.

        result = profile.close_date_pushes(self.opportunities, self.period)

        self.assertEqual(result.push_count, 3)
        self.assertEqual(result.opportunity_count, 2)

    def test_creation_is_not_a_push(self):
        result = profile.close_date_pushes(self.opportunities, self.period)

        self.assertEqual(result.push_count, 0)

    def test_counts_saves_inside_period(self):
        self._save_close_date(self.negotiation, datetime.date(2027, 4, 1))
        history = Opportunity.history.model.objects
        latest = history.filter(id=self.negotiation.pk).order_by("-history_date").first()
        moment = timezone.make_aware(datetime.datetime(2026, 6, 30, 23, 59))
        history.filter(pk=latest.pk).update(history_date=moment)
        # The creation must come first, so it moves to before the push.
        history.filter(id=self.negotiation.pk, history_type="+").update(history_date=moment - datetime.timedelta(days=1))

        june = profile.close_date_pushes(self.opportunities, Period(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)))
        july = profile.close_date_pushes(self.opportunities, Period(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31)))

        self.assertEqual(june.push_count, 1)
        self.assertEqual(july.push_count, 0)

    def test_other_accounts_left_out(self):
        self._save_close_date(self.qualification, datetime.date(2027, 6, 1))

        result = profile.close_date_pushes(Opportunity.objects.filter(account=self.account), self.period)

        self.assertEqual(result.push_count, 0)
