from django.urls import reverse

from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import BaseTestCase, make_contact, make_opportunity, make_opportunity_contact, stage

HTMX = {"HTTP_HX_REQUEST": "true"}


class QuickUpdateQueryCountTests(BaseTestCase):
    """The quick update runs as many queries on an account with 1 opportunity as with 30."""

    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell", stage=stage("Proposal"))
        self.url = reverse("opportunities:quick-update", args=[self.opportunity.pk])
        self.login(self.owner)

    def _grow(self) -> None:
        for number in range(29):
            other = make_opportunity(self.account, f"Deal {number}", stage=stage("Negotiation"))
            make_opportunity_contact(other, make_contact(self.account, f"Contact {number}"))

    def test_form_queries_constant(self):
        def load():
            response = self.client.get(self.url, **HTMX)
            self.assertEqual(response.status_code, 200)

        assert_constant_queries(self, load, self._grow)

    def test_save_queries_constant(self):
        values = iter(range(100, 200))

        def load():
            data = {"stage": str(stage("Negotiation").pk), "value": str(next(values))}
            response = self.client.post(self.url, data, **HTMX)
            self.assertEqual(response.status_code, 200)

        assert_constant_queries(self, load, self._grow)
