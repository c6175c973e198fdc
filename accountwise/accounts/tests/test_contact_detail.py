import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import AccountStatus, ContactRole, DecisionPower, Sentiment
from accountwise.core.models import Organisation
from accountwise.opportunities.models import BuyingRole
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
    stage,
)


class ContactDetailTests(BaseTestCase):
    def setUp(self):
        self.boss = make_contact(self.account, "Coyote", first_name="Wile")
        self.contact = make_contact(
            self.account, "Runner", first_name="Road", job_title="CTO", is_key_player=True,
            role=ContactRole.CHAMPION, sentiment=Sentiment.ADVOCATE, decision_power=DecisionPower.HIGH,
            relationship_owner=self.teammate, last_contact_date=datetime.date(2026, 3, 9),
            reports_to=self.boss, email="road@acme.example",
        )
        self.url = reverse("accounts:contact-detail", args=[self.contact.pk])
        self.login(self.owner)

    def _link(self, kind_or_name: str, value: str, role=BuyingRole.INFLUENCER):
        opportunity = make_opportunity(self.account, stage=stage(kind_or_name), value=Decimal(value))
        make_opportunity_contact(opportunity, self.contact, role)
        return opportunity

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url)

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "<span>Road Runner</span>", html=True)

    def test_missing_contact_not_found(self):
        response = self.client.get(reverse("accounts:contact-detail", args=[99999]))

        self.assertEqual(response.status_code, 404)

    def test_absolute_url_is_page(self):
        self.assertEqual(self.contact.get_absolute_url(), self.url)

    def test_shows_relationship_fields(self):
        make_contact(self.account, "Bird", first_name="Tweety", reports_to=self.contact)

        response = self.client.get(self.url)

        self.assertContains(response, "CTO at")
        self.assertContains(response, "Champion</span>")
        self.assertContains(response, "Advocate</span>")
        self.assertContains(response, '<dd class="col-sm-7">High</dd>', html=True)
        self.assertContains(response, '<dd class="col-sm-7">Charlie</dd>', html=True)
        self.assertContains(response, "Mar 9, 2026")
        self.assertContains(response, f'<a href="{self.boss.get_absolute_url()}">Wile Coyote</a>', html=True)
        self.assertContains(response, "Tweety Bird</a>")

    def test_figures_hand_computed(self):
        self._link("won", "1000.00")
        self._link("won", "2500.00")
        self._link("lost", "400.00")
        self._link("Proposal", "600.00")

        response = self.client.get(self.url)

        contact = response.context["contact"]
        self.assertEqual(contact.opportunity_count, 4)
        self.assertEqual(contact.total_value, Decimal("4500.00"))
        self.assertEqual(contact.won_value, Decimal("3500.00"))
        self.assertAlmostEqual(contact.win_rate, 200 / 3)
        self.assertContains(response, '<td class="aw-number" data-testid="figure-total">$4,500.00</td>', html=True)
        self.assertContains(response, '<td class="aw-number" data-testid="figure-win-rate">67 %</td>', html=True)

    def test_chart_data_by_outcome(self):
        self._link("won", "1000.00")
        self._link("on_hold", "300.00")

        response = self.client.get(self.url)

        self.assertEqual(
            response.context["chart_data"]["outcomes"],
            [
                {"label": "Won", "value": "1000.00", "count": 1},
                {"label": "Lost", "value": "0.00", "count": 0},
                {"label": "Open", "value": "0.00", "count": 0},
                {"label": "On hold", "value": "300.00", "count": 1},
            ],
        )
        self.assertContains(response, 'id="opportunity-contact-chart-data"')
        self.assertContains(response, "chart.umd.min.js")

    def test_win_rate_dash_when_none_closed(self):
        self._link("Proposal", "600.00")

        response = self.client.get(self.url)

        self.assertIsNone(response.context["contact"].win_rate)
        self.assertContains(response, '<span title="No opportunity has closed yet">—</span>', html=True)

    def test_lists_opportunities_with_roles(self):
        opportunity = self._link("Proposal", "600.00", BuyingRole.TECHNICAL_BUYER)

        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{opportunity.get_absolute_url()}">{opportunity.name}</a>', html=True)
        self.assertContains(response, "Technical buyer")

    def test_no_opportunities_empty_state(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Road Runner is not on any opportunity yet.")
        self.assertNotContains(response, "<canvas")

    def test_key_influencer_badge(self):
        self._link("won", "1000.00")
        other = make_contact(self.account, "Fudd")
        make_opportunity_contact(make_opportunity(self.account, stage=stage("lost")), other)

        response = self.client.get(self.url)
        other_response = self.client.get(other.get_absolute_url())

        self.assertContains(response, 'data-testid="key-influencer-badge"')
        self.assertNotContains(other_response, 'data-testid="key-influencer-badge"')

    def test_changes_for_team_only(self):
        edit_url = reverse("accounts:contact-edit", args=[self.contact.pk])
        self.login(self.outsider)
        outsider_response = self.client.get(self.url)
        self.login(self.teammate)
        teammate_response = self.client.get(self.url)

        self.assertNotContains(outsider_response, edit_url)
        self.assertContains(teammate_response, edit_url)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:contact-edit", args=[self.contact.pk]))

    def test_queries_independent_of_opportunities(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        self._link("won", "100.00")
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for number in range(8):
            self._link("lost" if number % 2 else "Proposal", "100.00")
            make_contact(self.account, reports_to=self.contact)

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["opportunity_links"]), 9)
