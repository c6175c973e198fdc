from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_opportunity,
    make_opportunity_contact,
    stage,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunitiesContactChartViewTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("opportunities:contact-chart", args=[self.account.pk])
        contact = make_contact(self.account, "Coyote", first_name="Wile")
        make_opportunity_contact(make_opportunity(self.account, stage=stage("won")), contact)

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "opportunities/_contact_chart.html")

    def test_missing_account_not_found(self):
        self.login(self.owner)

        response = self.client.get(reverse("opportunities:contact-chart", args=[99999]), **HTMX)

        self.assertEqual(response.status_code, 404)

    def test_without_htmx_redirects_to_section(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(
            response, f"{self.account.get_absolute_url()}#opportunities-section", fetch_redirect_response=False
        )

    def test_reloads_on_change_event(self):
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, 'hx-trigger="opportunities-changed from:body"')
        self.assertContains(response, 'data-testid="contact-chart-row"', count=1)
        self.assertNotContains(response, "chart.umd.min.js")

    def test_queries_independent_of_contacts(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        self.login(self.owner)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url, **HTMX)
        for number in range(8):
            contact = make_contact(self.account, f"Extra{number}")
            make_opportunity_contact(make_opportunity(self.account, stage=stage("lost")), contact)

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url, **HTMX)

        self.assertEqual(len(response.context["chart"]["rows"]), 9)
