import datetime

from django.test import SimpleTestCase

from accountwise.notifications.models import most_recent_due_day

DAYS = [90, 30, 7]


class MostRecentDueDayTests(SimpleTestCase):
    def test_nothing_due_before_first(self):
        end = datetime.date(2027, 6, 30)

        self.assertIsNone(most_recent_due_day(DAYS, end, end - datetime.timedelta(days=91)))

    def test_due_on_exact_day(self):
        end = datetime.date(2027, 6, 30)

        self.assertEqual(most_recent_due_day(DAYS, end, end - datetime.timedelta(days=90)), 90)
        self.assertEqual(most_recent_due_day(DAYS, end, end - datetime.timedelta(days=30)), 30)
        self.assertEqual(most_recent_due_day(DAYS, end, end - datetime.timedelta(days=7)), 7)

    def test_late_run_picks_most_recent(self):
        end = datetime.date(2027, 6, 30)

        self.assertEqual(most_recent_due_day(DAYS, end, end - datetime.timedelta(days=12)), 30)

    def test_end_date_today_still_due(self):
        end = datetime.date(2027, 6, 30)

        self.assertEqual(most_recent_due_day(DAYS, end, end), 7)

    def test_past_end_date_nothing_due(self):
        end = datetime.date(2027, 6, 30)

        self.assertIsNone(most_recent_due_day(DAYS, end, end + datetime.timedelta(days=1)))

    def test_across_year_end(self):
        end = datetime.date(2028, 1, 5)

        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2027, 12, 28)), 30)
        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2027, 12, 29)), 7)

    def test_leap_day_end_date(self):
        end = datetime.date(2028, 2, 29)

        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2028, 1, 29)), 90)
        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2028, 1, 30)), 30)
        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2028, 2, 22)), 7)

    def test_counts_leap_day_in_span(self):
        # 2028-03-01 is 30 days after 2028-01-31 only because February 2028 has 29 days.
        end = datetime.date(2028, 3, 1)

        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2028, 1, 30)), 90)
        self.assertEqual(most_recent_due_day(DAYS, end, datetime.date(2028, 1, 31)), 30)
