from django.urls import reverse

from accountwise.core.models import Organisation
from accountwise.notifications.tests.factories import make_rule
from accountwise.test import BaseTestCase, make_user, stage

URL = reverse("notifications:rules")


class RuleListTests(BaseTestCase):
    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(URL)

                self.assertEqual(response.status_code, 403)

    def test_administrator_sees_rules(self):
        make_rule("Standard renewals", days_before=[90, 30, 7], notify_account_team=True)
        make_rule("Leadership", days_before=[60], is_active=False)
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertEqual([rule.name for rule in response.context["rules"]], ["Leadership", "Standard renewals"])
        self.assertContains(response, "90, 30, 7")
        self.assertContains(response, "Account team")
        self.assertContains(response, "Inactive")

    def test_shows_renewal_opportunity(self):
        make_rule(opportunity_days_before=120, opportunity_stage=stage("Proposal"))
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertContains(response, "120 days ahead, at Proposal")

    def test_warns_missing_stage(self):
        make_rule(opportunity_days_before=120, opportunity_stage=None)
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertContains(response, "No stage:")

    def test_empty_state(self):
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertContains(response, "No renewal rules yet")
        self.assertContains(response, f'href="{reverse("notifications:rule-create")}"')

    def test_sidebar_link_for_administrators(self):
        self.login(self.admin)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, f'href="{URL}"><i class="bi bi-calendar-event"></i> Renewal rules</a>', html=False)

    def test_no_sidebar_link_for_members(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertNotContains(response, "Renewal rules")

    def test_query_count_fixed(self):
        Organisation.get()
        make_rule("First", named_users=[self.owner])
        self.login(self.admin)
        # Session, user, rules with stages, named users, organisation, unread notifications.
        with self.assertNumQueries(6):
            self.client.get(URL)
        for number in range(5):
            make_rule(f"Rule {number}", named_users=[make_user()], opportunity_days_before=30, opportunity_stage=stage("Proposal"))

        with self.assertNumQueries(6):
            self.client.get(URL)
