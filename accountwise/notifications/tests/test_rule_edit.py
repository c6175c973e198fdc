from django.urls import reverse

from accountwise.notifications.models import RenewalRule
from accountwise.notifications.tests.factories import make_rule
from accountwise.notifications.tests.test_rule_create import rule_data
from accountwise.test import BaseTestCase, stage


class RuleEditTests(BaseTestCase):
    def setUp(self):
        self.rule = make_rule(
            "Standard renewals",
            days_before=[90, 30],
            named_users=[self.teammate],
            opportunity_days_before=120,
            opportunity_stage=stage("Proposal"),
        )
        self.url = reverse("notifications:rule-edit", args=[self.rule.pk])

    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.post(self.url, rule_data(name="Changed")).status_code, 403)
        self.rule.refresh_from_db()
        self.assertEqual(self.rule.name, "Standard renewals")

    def test_missing_rule_not_found(self):
        self.login(self.admin)

        response = self.client.get(reverse("notifications:rule-edit", args=[999999]))

        self.assertEqual(response.status_code, 404)

    def test_form_shows_saved_values(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, 'value="90, 30"')
        self.assertContains(response, "Edit rule Standard renewals")
        form = response.context["form"]
        self.assertTrue(form["create_opportunity"].value())
        self.assertEqual(list(form["named_users"].value()), [self.teammate.pk])

    def test_saves_changes(self):
        self.login(self.admin)

        response = self.client.post(
            self.url, rule_data(name="Key renewals", days_before="60", by_email=None, named_users=[self.admin.pk])
        )

        self.assertRedirects(response, reverse("notifications:rules"), fetch_redirect_response=False)
        self.rule.refresh_from_db()
        self.assertEqual(self.rule.name, "Key renewals")
        self.assertEqual(self.rule.days_before, [60])
        self.assertEqual(self.rule.channels, ["in_app"])
        self.assertEqual(list(self.rule.named_users.all()), [self.admin])

    def test_unchecking_stops_opportunities(self):
        self.login(self.admin)

        self.client.post(self.url, rule_data(opportunity_days_before="120", opportunity_stage=stage("Proposal").pk))

        self.rule.refresh_from_db()
        self.assertFalse(self.rule.creates_opportunity)

    def test_keeps_own_name(self):
        self.login(self.admin)

        response = self.client.post(self.url, rule_data(name="STANDARD renewals"))

        self.assertRedirects(response, reverse("notifications:rules"), fetch_redirect_response=False)
        self.rule.refresh_from_db()
        self.assertEqual(self.rule.name, "STANDARD renewals")

    def test_invalid_keeps_heading_and_typed(self):
        self.login(self.admin)

        response = self.client.post(self.url, rule_data(name="Renamed", days_before="90, x"))

        self.assertContains(response, "Edit rule Standard renewals")
        self.assertContains(response, 'value="Renamed"')
        self.assertContains(response, 'value="90, x"')
        self.rule.refresh_from_db()
        self.assertEqual(self.rule.days_before, [90, 30])
