from decimal import Decimal

from django.urls import reverse

from accountwise.api.models import ApiToken
from accountwise.core.models import AccountVisibility
from accountwise.core.permissions import can_change, can_create_account, can_import, viewable_accounts
from accountwise.notifications.tests.factories import make_notification
from accountwise.test import BaseTestCase, make_account, make_contract


class AccountVisibilityTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.account.team_members.add(cls.contributor)
        cls.contract = make_contract(cls.account, "Acme support", value=Decimal("700.00"), owner=cls.owner)
        cls.other = make_account("Globex", owner=cls.outsider)
        make_contract(cls.other, "Globex licences", value=Decimal("300.00"))

    def api_get(self, user, name: str, **params):
        _, text = ApiToken.issue(user, "Test")
        return self.client.get(reverse(name), params, HTTP_AUTHORIZATION=f"Bearer {text}")

    def listed_accounts(self, user, **params) -> list[str]:
        self.login(user)
        response = self.client.get(reverse("accounts:list"), params)
        return [account.name for account in response.context["page"].object_list]

    def test_everyone_sees_every_account_by_default(self):
        self.assertEqual(self.listed_accounts(self.teammate), ["Acme Corporation", "Globex"])

    def test_team_only_hides_other_accounts(self):
        self.set_account_visibility(AccountVisibility.TEAM)

        self.assertEqual(self.listed_accounts(self.teammate), ["Acme Corporation"])
        self.assertEqual(self.listed_accounts(self.outsider), ["Globex"])
        self.assertEqual(self.listed_accounts(self.contributor), ["Acme Corporation"])

    def test_team_only_administrator_sees_all(self):
        self.set_account_visibility(AccountVisibility.TEAM)

        self.assertEqual(self.listed_accounts(self.admin), ["Acme Corporation", "Globex"])

    def test_team_only_search_finds_visible_only(self):
        self.set_account_visibility(AccountVisibility.TEAM)

        self.assertEqual(self.listed_accounts(self.teammate, q="Globex"), [])

    def test_team_only_detail_is_404(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.teammate)

        response = self.client.get(reverse("accounts:detail", args=[self.other.pk]))

        self.assertEqual(response.status_code, 404)

    def test_team_only_export_leaves_out_hidden(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.teammate)

        response = self.client.get(reverse("transfer:export-accounts", args=["csv"]))

        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.assertIn(b"Acme Corporation", body)
        self.assertNotIn(b"Globex", body)

    def test_team_only_api_list_and_totals(self):
        self.set_account_visibility(AccountVisibility.TEAM)

        accounts = self.api_get(self.teammate, "api:v1:account-list").json()["results"]
        totals = self.api_get(self.teammate, "api:v1:contract-totals").json()

        self.assertEqual([account["name"] for account in accounts], ["Acme Corporation"])
        self.assertEqual(totals["count"], 1)
        self.assertEqual(Decimal(totals["total_value"]), Decimal("700.00"))

    def test_team_only_api_detail_is_404(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        _, text = ApiToken.issue(self.teammate, "Test")

        response = self.client.get(
            reverse("api:v1:account-detail", args=[self.other.pk]), HTTP_AUTHORIZATION=f"Bearer {text}"
        )

        self.assertEqual(response.status_code, 404)

    def test_team_only_hides_notifications(self):
        hidden = make_notification(self.teammate, make_contract(self.other, "Globex support"))
        shown = make_notification(self.teammate, self.contract)
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.teammate)

        response = self.client.get(reverse("notifications:list"))

        self.assertEqual(list(response.context["page"].object_list), [shown])
        self.assertNotEqual(shown, hidden)

    def test_team_only_hides_subsidiaries(self):
        make_account("Globex Europe", owner=self.outsider, parent=self.account)
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.teammate)

        response = self.client.get(reverse("accounts:detail", args=[self.account.pk]))

        self.assertEqual(list(response.context["subsidiaries"]), [])

    def test_team_only_parent_choices_visible_only(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.owner)

        response = self.client.get(reverse("accounts:create"))

        self.assertEqual(list(response.context["form"].fields["parent"].queryset), [self.account])

    def test_policy_follows_setting(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        teammate = type(self.teammate).objects.get(pk=self.teammate.pk)

        self.assertEqual(list(viewable_accounts(teammate)), [self.account])


class ContributorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.account.team_members.add(cls.contributor)

    def test_reads_account(self):
        self.login(self.contributor)

        response = self.client.get(reverse("accounts:detail", args=[self.account.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["can_change"])

    def test_cannot_change_even_on_team(self):
        self.assertFalse(can_change(self.contributor, self.account))

    def test_cannot_create_or_import(self):
        self.assertFalse(can_create_account(self.contributor))
        self.assertFalse(can_import(self.contributor))

    def test_menu_offers_no_create_or_import(self):
        self.login(self.contributor)

        response = self.client.get(reverse("accounts:list"))

        self.assertNotContains(response, 'data-testid="create-new"')
        self.assertNotContains(response, reverse("transfer:import-start"))
        self.assertNotContains(response, reverse("accounts:create"))

    def test_api_create_rejected(self):
        _, text = ApiToken.issue(self.contributor, "Test")

        response = self.client.post(
            reverse("api:v1:contact-list"),
            {"account": self.account.pk, "last_name": "Lovelace"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {text}",
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.account.contacts.exists())

    def test_manages_own_token(self):
        self.login(self.contributor)

        response = self.client.post(reverse("api:tokens"), {"name": "Reporting"})

        self.assertEqual(response.status_code, 200)
        self.assertTrue(ApiToken.objects.filter(user=self.contributor).exists())

    def test_role_label_in_user_list(self):
        self.login(self.admin)

        response = self.client.get(reverse("users:list"))

        self.assertContains(response, "Contributor (read-only)")
        self.assertContains(response, "Account manager")
