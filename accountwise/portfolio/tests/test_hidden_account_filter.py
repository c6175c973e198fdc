"""Account ids in the portfolio views' filters and in saved filters, under team-only visibility.

An account hidden from the user must be as invalid as one that does not exist,
so neither a page nor the saved-filter API reveals that the hidden account exists.
"""

from django.urls import reverse

from accountwise.core.models import AccountVisibility
from accountwise.portfolio.models import SavedFilter
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity

# Larger than any id the tests create.
MISSING = 999_999


class HiddenAccountFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # dave, the outsider, works Globex. Acme Corporation, owned by bob, is hidden from him.
        cls.own_account = make_account("Globex", owner=cls.outsider)
        make_contract(cls.own_account, "Globex licence")
        make_contract(cls.account, "Acme support")
        make_opportunity(cls.own_account, "Globex renewal")
        make_opportunity(cls.account, "Acme upsell")

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def test_hidden_account_ignored_as_missing(self):
        own_rows = {"portfolio:contracts": "Globex licence", "portfolio:opportunities": "Globex renewal"}
        for route, own_row in own_rows.items():
            with self.subTest(route=route):
                hidden = self.client.get(reverse(route), {"account": self.account.pk})
                missing = self.client.get(reverse(route), {"account": MISSING})

                self.assertEqual([row.name for row in hidden.context["page"]], [own_row])
                self.assertEqual([row.name for row in missing.context["page"]], [own_row])
                self.assertIn("account", hidden.context["filter"].form.errors)
                self.assertIn("account", missing.context["filter"].form.errors)
                self.assertNotContains(hidden, "Acme")

    def test_own_account_filters(self):
        make_contract(make_account("Initech", owner=self.outsider), "Initech support")

        response = self.client.get(reverse("portfolio:contracts"), {"account": self.own_account.pk})

        self.assertEqual([row.name for row in response.context["page"]], ["Globex licence"])

    def test_team_member_filters_by_account(self):
        self.login(self.owner)

        response = self.client.get(reverse("portfolio:contracts"), {"account": self.account.pk})

        self.assertEqual([row.name for row in response.context["page"]], ["Acme support"])


class HiddenSavedFilterParamsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_account("Acme Iberia", owner=cls.outsider, parent=cls.account)

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def save_filter(self, entity: str, params: dict):
        return self.client.post(
            reverse("api:v1:saved-filter-list"), {"name": "Mine", "entity": entity, "params": params},
            content_type="application/json",
        )

    def test_hidden_ids_rejected_as_missing(self):
        cases = [("contracts", "account"), ("opportunities", "account_parent"), ("accounts", "parent")]
        for entity, param in cases:
            with self.subTest(entity=entity, param=param):
                hidden = self.save_filter(entity, {param: [str(self.account.pk)]})
                missing = self.save_filter(entity, {param: [str(MISSING)]})

                self.assertEqual(hidden.status_code, 400)
                self.assertEqual(hidden.content, missing.content)
        self.assertFalse(SavedFilter.objects.filter(name="Mine").exists())

    def test_team_member_saves_account(self):
        self.login(self.owner)

        response = self.save_filter("contracts", {"account": [str(self.account.pk)]})

        self.assertEqual(response.status_code, 201, response.content)
