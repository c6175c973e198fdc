from decimal import Decimal

from django.urls import reverse

from accountwise.opportunities.contact_chart import CHART_CONTACT_LIMIT, chart_data, chart_rows
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
    stage,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class ContactChartFiguresTests(BaseTestCase):
    """Figures checked against sums worked out by hand from the opportunities below."""

    def setUp(self):
        self.wile = make_contact(self.account, "Coyote", first_name="Wile")
        self.road = make_contact(self.account, "Runner", first_name="Road")
        self.elmer = make_contact(self.account, "Fudd", first_name="Elmer")
        make_contact(self.account, "Duck", first_name="Daisy")  # On no opportunity.

        won_small = make_opportunity(self.account, stage=stage("won"), value=Decimal("1000.00"))
        won_large = make_opportunity(self.account, stage=stage("won"), value=Decimal("3000.00"))
        lost = make_opportunity(self.account, stage=stage("lost"), value=Decimal("500.00"))
        open_ = make_opportunity(self.account, stage=stage("Proposal"), value=Decimal("2000.00"))
        on_hold = make_opportunity(self.account, stage=stage("on_hold"), value=Decimal("700.00"))
        for opportunity, contacts in [
            (won_small, [self.wile, self.road]),
            (won_large, [self.road]),
            (lost, [self.wile, self.elmer]),
            (open_, [self.wile]),
            (on_hold, [self.elmer]),
        ]:
            for contact in contacts:
                make_opportunity_contact(opportunity, contact)

    def _row(self, contact):
        return next(row for row in chart_rows(self.account) if row.pk == contact.pk)

    def test_opportunity_counts(self):
        self.assertEqual(self._row(self.wile).opportunity_count, 3)
        self.assertEqual(self._row(self.road).opportunity_count, 2)
        self.assertEqual(self._row(self.elmer).opportunity_count, 2)

    def test_total_values(self):
        self.assertEqual(self._row(self.wile).total_value, Decimal("3500.00"))
        self.assertEqual(self._row(self.road).total_value, Decimal("4000.00"))
        self.assertEqual(self._row(self.elmer).total_value, Decimal("1200.00"))

    def test_won_values(self):
        self.assertEqual(self._row(self.wile).won_value, Decimal("1000.00"))
        self.assertEqual(self._row(self.road).won_value, Decimal("4000.00"))
        self.assertEqual(self._row(self.elmer).won_value, Decimal("0.00"))

    def test_values_by_outcome(self):
        wile = self._row(self.wile)
        elmer = self._row(self.elmer)

        self.assertEqual(wile.lost_value, Decimal("500.00"))
        self.assertEqual(wile.open_value, Decimal("2000.00"))
        self.assertEqual(elmer.on_hold_value, Decimal("700.00"))
        self.assertEqual(elmer.on_hold_count, 1)

    def test_win_rate_mixed(self):
        self.assertEqual(self._row(self.wile).win_rate, 50.0)

    def test_win_rate_all_won(self):
        self.assertEqual(self._row(self.road).win_rate, 100.0)

    def test_win_rate_only_lost(self):
        self.assertEqual(self._row(self.elmer).win_rate, 0.0)

    def test_contacts_without_opportunities_left_out(self):
        names = [row.full_name for row in chart_rows(self.account)]

        self.assertEqual(names, ["Road Runner", "Wile Coyote", "Elmer Fudd"])

    def test_other_accounts_left_out(self):
        globex = make_account("Globex")
        stranger = make_contact(globex, "Stranger")
        make_opportunity_contact(make_opportunity(globex, stage=stage("won")), stranger)

        self.assertNotIn(stranger.pk, [row.pk for row in chart_rows(self.account)])

    def test_key_influencers_have_won_value(self):
        flagged = {row.full_name for row in chart_rows(self.account) if row.is_key_influencer}

        self.assertEqual(flagged, {"Road Runner", "Wile Coyote"})

    def test_chart_data_matches_rows(self):
        data = chart_data(chart_rows(self.account))

        self.assertEqual(data["kind"], "contacts")
        self.assertEqual(
            data["contacts"][1],
            {
                "name": "Wile Coyote",
                "opportunities": 3,
                "total_value": "3500.00",
                "won_value": "1000.00",
                "win_rate": 50.0,
                "key_influencer": True,
            },
        )


class WinRateRulesTests(BaseTestCase):
    def setUp(self):
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")

    def _link(self, kind_or_name: str, value: str = "1000.00"):
        opportunity = make_opportunity(self.account, stage=stage(kind_or_name), value=Decimal(value))
        make_opportunity_contact(opportunity, self.contact)

    def _win_rate(self):
        return chart_rows(self.account)[0].win_rate

    def test_none_closed_undefined(self):
        self._link("Proposal")
        self._link("on_hold")

        self.assertIsNone(self._win_rate())

    def test_only_lost_zero(self):
        self._link("lost")
        self._link("lost")
        self._link("Proposal")

        self.assertEqual(self._win_rate(), 0.0)

    def test_mixed_two_thirds(self):
        self._link("won")
        self._link("won")
        self._link("lost")
        self._link("Negotiation")

        self.assertAlmostEqual(self._win_rate(), 200 / 3)

    def test_rate_ignores_values(self):
        self._link("won", "10.00")
        self._link("lost", "99000.00")

        self.assertEqual(self._win_rate(), 50.0)

    def test_undefined_shown_as_dash(self):
        self._link("Proposal")
        self.login(self.owner)

        response = self.client.get(reverse("opportunities:contact-chart", args=[self.account.pk]), **HTMX)

        self.assertContains(response, '<span title="No opportunity has closed yet">—</span>', html=True)

    def test_mixed_shown_rounded(self):
        self._link("won")
        self._link("won")
        self._link("lost")
        self.login(self.owner)

        response = self.client.get(reverse("opportunities:contact-chart", args=[self.account.pk]), **HTMX)

        self.assertContains(response, "67 %")


class KeyInfluencerTests(BaseTestCase):
    def _contact_with_won(self, last_name: str, value: str):
        contact = make_contact(self.account, last_name)
        opportunity = make_opportunity(self.account, stage=stage("won"), value=Decimal(value))
        make_opportunity_contact(opportunity, contact)
        return contact

    def test_top_three_values_with_ties(self):
        for last_name, value in [("A", "500"), ("B", "400"), ("C", "400"), ("D", "300"), ("E", "200")]:
            self._contact_with_won(last_name, value)

        rows = chart_rows(self.account)

        self.assertEqual([row.last_name for row in rows], ["A", "B", "C", "D", "E"])
        self.assertEqual([row.is_key_influencer for row in rows], [True, True, True, True, False])

    def test_nothing_won_no_influencers(self):
        contact = make_contact(self.account, "Coyote")
        make_opportunity_contact(make_opportunity(self.account, stage=stage("lost")), contact)

        self.assertFalse(chart_rows(self.account)[0].is_key_influencer)

    def test_chart_limited_table_complete(self):
        for number in range(CHART_CONTACT_LIMIT + 2):
            self._contact_with_won(f"Contact{number:02}", str(100 + number))
        self.login(self.owner)

        response = self.client.get(reverse("opportunities:contact-chart", args=[self.account.pk]), **HTMX)

        chart = response.context["chart"]
        self.assertEqual(len(chart["rows"]), CHART_CONTACT_LIMIT + 2)
        self.assertEqual(len(chart["chart_data"]["contacts"]), CHART_CONTACT_LIMIT)
        self.assertContains(response, f"The chart shows the {CHART_CONTACT_LIMIT} contacts with the most won value")
