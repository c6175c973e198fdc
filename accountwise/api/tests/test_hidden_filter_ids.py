"""Ids in list filters under team-only visibility.

A list filtered by an account hidden from the user, or by a record on one,
must get the response of an id that does not exist, apart from the id. A
client then cannot tell that the hidden account exists.
"""

from accountwise.core.models import AccountVisibility
from accountwise.documents.tests.support import DocumentTestCase, make_uploaded_document
from accountwise.test import (
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
)

# Larger than any id the tests create.
MISSING = 999_999
ACCOUNT_LISTS = ["contacts", "contracts", "opportunities", "plans", "documents"]


def _not_found(noun: str, pk) -> str:
    return f"{noun} {pk} does not exist or is not shared with you. Use the id of one you can open."


class HiddenFilterIdTests(DocumentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # dave, the outsider, works Globex and Acme Iberia. Acme Corporation, owned by bob, is hidden from him.
        cls.own_account = make_account("Globex", owner=cls.outsider)
        cls.subsidiary = make_account("Acme Iberia", owner=cls.outsider, parent=cls.account)
        for account in (cls.account, cls.own_account, cls.subsidiary):
            make_contact(account)
            make_contract(account)
            make_opportunity(account)
            make_plan(account)
        cls.hidden_contract = make_contract(cls.account)
        cls.hidden_opportunity = make_opportunity(cls.account)
        cls.hidden_plan = make_plan(cls.account)
        make_plan_action(cls.hidden_plan)

    def setUp(self):
        super().setUp()
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def check_same_as_missing(self, path: str, param: str, hidden_pk: int, message) -> None:
        """List with the hidden id, then with a missing one, and compare the two responses."""
        hidden = self.client.get(path, {param: hidden_pk})
        missing = self.client.get(path, {param: MISSING})

        self.assertEqual(hidden.status_code, 400)
        self.assertEqual(missing.status_code, 400)
        self.assertEqual(hidden.json(), {param: [message(hidden_pk)]})
        self.assertEqual(missing.json(), {param: [message(MISSING)]})

    def test_account_filter(self):
        for name in ACCOUNT_LISTS:
            with self.subTest(list=name):
                self.check_same_as_missing(
                    f"/api/v1/{name}/", "account", self.account.pk, lambda pk: _not_found("Account", pk)
                )

    def test_account_totals_filter(self):
        for name in ("contracts", "opportunities"):
            with self.subTest(list=name):
                self.check_same_as_missing(
                    f"/api/v1/{name}/totals/", "account", self.account.pk, lambda pk: _not_found("Account", pk)
                )

    def test_account_parent_filter(self):
        for name in ("contracts", "opportunities"):
            with self.subTest(list=name):
                hidden = self.client.get(f"/api/v1/{name}/", {"account_parent": self.account.pk})
                missing = self.client.get(f"/api/v1/{name}/", {"account_parent": MISSING})

                self.assertEqual(hidden.status_code, 400)
                self.assertEqual(hidden.content, missing.content)

    def test_document_business_filters(self):
        self.check_same_as_missing(
            "/api/v1/documents/", "contract", self.hidden_contract.pk, lambda pk: _not_found("Contract", pk)
        )
        self.check_same_as_missing(
            "/api/v1/documents/", "opportunity", self.hidden_opportunity.pk, lambda pk: _not_found("Opportunity", pk)
        )

    def test_plan_action_plan_filter(self):
        self.check_same_as_missing(
            "/api/v1/plan-actions/", "plan", self.hidden_plan.pk, lambda pk: _not_found("Plan", pk)
        )

    def test_invalid_id_names_value(self):
        response = self.client.get("/api/v1/contacts/", {"account": "acme"})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"account": [_not_found("Account", "acme")]})

    def test_own_account_filters(self):
        make_uploaded_document(self.own_account, "Proposal.pdf")
        for name in ACCOUNT_LISTS:
            with self.subTest(list=name):
                response = self.client.get(f"/api/v1/{name}/", {"account": self.own_account.pk})

                self.assertEqual(response.status_code, 200)
                accounts = {row["account"] for row in response.json()["results"]}
                self.assertEqual(accounts, {self.own_account.pk})

    def test_own_parent_filters(self):
        response = self.client.get("/api/v1/contracts/", {"account_parent": self.own_account.pk})

        # Globex has no subsidiary, so it is no parent to filter by.
        self.assertEqual(response.status_code, 400)

    def test_team_member_filters_by_account(self):
        self.login(self.owner)

        response = self.client.get("/api/v1/contracts/", {"account": self.account.pk})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["results"]), 2)

    def test_team_member_filters_by_parent(self):
        self.subsidiary.team_members.add(self.owner)
        self.login(self.owner)

        response = self.client.get("/api/v1/opportunities/", {"account_parent": self.account.pk})

        self.assertEqual(response.status_code, 200)
        accounts = {row["account"] for row in response.json()["results"]}
        self.assertEqual(accounts, {self.subsidiary.pk})

    def test_everyone_visibility_filters_any_account(self):
        self.set_account_visibility(AccountVisibility.EVERYONE)

        response = self.client.get("/api/v1/plans/", {"account": self.account.pk})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["results"]), 2)

    def test_key_player_filter_reads_true(self):
        make_contact(self.own_account, "Jones", is_key_player=True)

        response = self.client.get("/api/v1/contacts/", {"account": self.own_account.pk, "is_key_player": "true"})

        self.assertEqual([row["last_name"] for row in response.json()["results"]], ["Jones"])
