from django.urls import reverse

from accountwise.notifications.models import DEFAULT_OPPORTUNITY_NAME, RenewalRule
from accountwise.notifications.tests.factories import make_rule
from accountwise.test import BaseTestCase, stage

URL = reverse("notifications:rule-create")


def rule_data(**changes) -> dict:
    data = {
        "name": "Standard renewals",
        "days_before": "90, 30, 7",
        "notify_contract_owner": "on",
        "by_in_app": "on",
        "by_email": "on",
        "is_active": "on",
        "opportunity_days_before": "",
        "opportunity_stage": "",
        "opportunity_name": DEFAULT_OPPORTUNITY_NAME,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class RuleCreateTests(BaseTestCase):
    def _errors(self, response, field: str) -> list[str]:
        return response.context["form"].errors.get(field, [])

    def test_members_forbidden(self):
        for user in (self.outsider, self.teammate, self.owner):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.get(URL).status_code, 403)
                self.assertEqual(self.client.post(URL, rule_data()).status_code, 403)
        self.assertFalse(RenewalRule.objects.exists())

    def test_form_shows(self):
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertContains(response, "Create renewal rule")
        self.assertContains(response, 'placeholder="90, 30, 7"')

    def test_creates_rule(self):
        self.login(self.admin)

        response = self.client.post(URL, rule_data(named_users=[self.teammate.pk], notify_account_owner="on"))

        self.assertRedirects(response, reverse("notifications:rules"), fetch_redirect_response=False)
        rule = RenewalRule.objects.get()
        self.assertEqual(rule.name, "Standard renewals")
        self.assertEqual(rule.days_before, [90, 30, 7])
        self.assertTrue(rule.notify_contract_owner)
        self.assertTrue(rule.notify_account_owner)
        self.assertFalse(rule.notify_account_team)
        self.assertEqual(list(rule.named_users.all()), [self.teammate])
        self.assertEqual(rule.channels, ["in_app", "email"])
        self.assertTrue(rule.is_active)
        self.assertFalse(rule.creates_opportunity)

    def test_days_sorted_and_deduplicated(self):
        self.login(self.admin)

        self.client.post(URL, rule_data(days_before="7 30;90, 30"))

        self.assertEqual(RenewalRule.objects.get().days_before, [90, 30, 7])

    def test_days_out_of_range(self):
        self.login(self.admin)

        for typed, message in [
            ("0", "Enter days between 1 and 3650; 0 is outside that range."),
            ("90, 3651", "Enter days between 1 and 3650; 3651 is outside that range."),
            ("30, soon", "soon is not a whole number of days; enter numbers separated by commas, such as 90, 30, 7."),
            ("-5", "-5 is not a whole number of days; enter numbers separated by commas, such as 90, 30, 7."),
            ("", "Enter at least one number of days, such as 90, 30, 7."),
            ("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", "Enter at most 10 numbers of days."),
        ]:
            with self.subTest(typed=typed):
                response = self.client.post(URL, rule_data(days_before=typed))

                self.assertEqual(self._errors(response, "days_before"), [message])
                self.assertContains(response, f'value="{typed}"' if typed else 'name="days_before"')
        self.assertFalse(RenewalRule.objects.exists())

    def test_days_at_bounds(self):
        self.login(self.admin)

        self.client.post(URL, rule_data(days_before="1, 3650"))

        self.assertEqual(RenewalRule.objects.get().days_before, [3650, 1])

    def test_needs_a_recipient(self):
        self.login(self.admin)

        response = self.client.post(URL, rule_data(notify_contract_owner=None))

        self.assertEqual(
            self._errors(response, "notify_contract_owner"),
            ["Choose at least one recipient: the contract owner, the account owner, the account team or named users."],
        )
        self.assertFalse(RenewalRule.objects.exists())

    def test_named_users_alone_suffice(self):
        self.login(self.admin)

        self.client.post(URL, rule_data(notify_contract_owner=None, named_users=[self.admin.pk]))

        self.assertEqual(list(RenewalRule.objects.get().named_users.all()), [self.admin])

    def test_needs_a_channel(self):
        self.login(self.admin)

        response = self.client.post(URL, rule_data(by_in_app=None, by_email=None))

        self.assertEqual(
            self._errors(response, "by_in_app"), ["Choose at least one channel: in the app, by e-mail or both."]
        )
        self.assertFalse(RenewalRule.objects.exists())

    def test_name_unique_ignoring_case(self):
        make_rule("Standard renewals")
        self.login(self.admin)

        response = self.client.post(URL, rule_data(name="standard RENEWALS"))

        self.assertEqual(
            self._errors(response, "name"), ["A rule named standard RENEWALS exists already; choose another name."]
        )
        self.assertEqual(RenewalRule.objects.count(), 1)

    def test_creates_opportunity_settings(self):
        self.login(self.admin)

        self.client.post(
            URL,
            rule_data(
                create_opportunity="on",
                opportunity_days_before="120",
                opportunity_stage=stage("Proposal").pk,
                opportunity_name="Renewal {contract} {end_date}",
            ),
        )

        rule = RenewalRule.objects.get()
        self.assertEqual(rule.opportunity_days_before, 120)
        self.assertEqual(rule.opportunity_stage, stage("Proposal"))
        self.assertEqual(rule.opportunity_name, "Renewal {contract} {end_date}")

    def test_opportunity_needs_days_and_stage(self):
        self.login(self.admin)

        response = self.client.post(URL, rule_data(create_opportunity="on"))

        self.assertEqual(
            self._errors(response, "opportunity_days_before"),
            ["Enter how many days before the end date to create it, such as 90."],
        )
        self.assertEqual(
            self._errors(response, "opportunity_stage"), ["Choose the stage the renewal opportunity starts at."]
        )
        self.assertFalse(RenewalRule.objects.exists())

    def test_opportunity_days_range(self):
        self.login(self.admin)

        for typed in ("0", "3651"):
            with self.subTest(typed=typed):
                response = self.client.post(
                    URL,
                    rule_data(create_opportunity="on", opportunity_days_before=typed, opportunity_stage=stage("Proposal").pk),
                )

                self.assertEqual(self._errors(response, "opportunity_days_before"), ["Enter days between 1 and 3650."])
        self.assertFalse(RenewalRule.objects.exists())

    def test_closed_stage_not_offered(self):
        self.login(self.admin)

        response = self.client.post(
            URL, rule_data(create_opportunity="on", opportunity_days_before="90", opportunity_stage=stage("won").pk)
        )

        self.assertIn("Select a valid choice", self._errors(response, "opportunity_stage")[0])
        self.assertFalse(RenewalRule.objects.exists())

    def test_unknown_placeholder(self):
        self.login(self.admin)

        response = self.client.post(
            URL,
            rule_data(
                create_opportunity="on",
                opportunity_days_before="90",
                opportunity_stage=stage("Proposal").pk,
                opportunity_name="Renewal of {customer}",
            ),
        )

        self.assertEqual(
            self._errors(response, "opportunity_name"),
            ["{customer} is not a known placeholder; use {contract}, {account}, {end_date}."],
        )
        self.assertContains(response, 'value="Renewal of {customer}"')

    def test_unchecked_opportunity_ignores_fields(self):
        self.login(self.admin)

        response = self.client.post(URL, rule_data(opportunity_days_before="0", opportunity_name="{bad}"))

        self.assertRedirects(response, reverse("notifications:rules"), fetch_redirect_response=False)
        rule = RenewalRule.objects.get()
        self.assertIsNone(rule.opportunity_days_before)
        self.assertEqual(rule.opportunity_name, DEFAULT_OPPORTUNITY_NAME)

    def test_opportunity_needs_name(self):
        self.login(self.admin)

        response = self.client.post(
            URL,
            rule_data(
                create_opportunity="on",
                opportunity_days_before="90",
                opportunity_stage=stage("Proposal").pk,
                opportunity_name="",
            ),
        )

        self.assertEqual(
            self._errors(response, "opportunity_name"),
            ["Enter a name for the opportunities, such as Renewal of {contract}."],
        )
        self.assertFalse(RenewalRule.objects.exists())

    def test_unchecked_keeps_default_name(self):
        self.login(self.admin)

        self.client.post(URL, rule_data(opportunity_name=""))

        self.assertEqual(RenewalRule.objects.get().opportunity_name, DEFAULT_OPPORTUNITY_NAME)
