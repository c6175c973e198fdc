"""Ids in request bodies under team-only visibility.

An id on an account hidden from the user must get the response of an id that
does not exist, byte for byte apart from the id, so a client cannot tell that
the hidden account exists.
"""

import datetime
import json

from accountwise.accounts.models import Account, Contact
from accountwise.core.models import AccountVisibility
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_plan,
    stage,
)

# Larger than any id the tests create.
MISSING = 999_999


def _not_found(noun: str, pk: int) -> str:
    return f"{noun} {pk} does not exist or is not shared with you. Use the id of one you can open."


class HiddenIdTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # dave, the outsider, works Globex; Acme, owned by bob, is hidden from him.
        cls.own_account = make_account("Globex", owner=cls.outsider)
        cls.own_contact = make_contact(cls.own_account, "Jones")
        cls.own_contract = make_contract(cls.own_account)
        cls.own_opportunity = make_opportunity(cls.own_account)
        cls.hidden_contact = make_contact(cls.account, "Smith")
        cls.hidden_plan = make_plan(cls.account)

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def send(self, method: str, url: str, body: dict):
        return self.client.generic(method, url, data=json.dumps(body), content_type="application/json")

    def check_same_as_missing(self, method: str, url: str, field: str, noun: str, body_with) -> None:
        """Send the body with the hidden id, then with a missing one, and compare the two responses."""
        hidden_pk = body_with("hidden")[field]
        hidden = self.send(method, url, body_with("hidden"))
        missing = self.send(method, url, body_with("missing"))

        self.assertEqual(hidden.status_code, 400)
        self.assertEqual(missing.status_code, 400)
        self.assertEqual(hidden.json(), {field: [_not_found(noun, hidden_pk)]})
        self.assertEqual(missing.json(), {field: [_not_found(noun, MISSING)]})

    def test_account_in_new_records(self):
        close_date = datetime.date(2027, 6, 30).isoformat()
        bodies = {
            "/api/v1/contacts/": {"last_name": "Brown"},
            "/api/v1/contracts/": {"name": "Support"},
            "/api/v1/opportunities/": {"name": "Renewal", "stage": stage("Proposal").pk, "value": "500.00",
                                       "close_date": close_date},
            "/api/v1/plans/": {"name": "Growth", "objective": "Double the licences."},
            "/api/v1/documents/": {"kind": "upload"},
        }
        ids = {"hidden": self.account.pk, "missing": MISSING}
        for url, body in bodies.items():
            with self.subTest(url=url):
                self.check_same_as_missing(
                    "POST", url, "account", "Account", lambda which: {**body, "account": ids[which]}
                )

        self.assertFalse(Contact.objects.filter(last_name="Brown").exists())

    def test_account_moved_by_update(self):
        urls = [
            f"/api/v1/contacts/{self.own_contact.pk}/",
            f"/api/v1/contracts/{self.own_contract.pk}/",
            f"/api/v1/opportunities/{self.own_opportunity.pk}/",
        ]
        ids = {"hidden": self.account.pk, "missing": MISSING}
        for url in urls:
            with self.subTest(url=url):
                self.check_same_as_missing("PATCH", url, "account", "Account", lambda which: {"account": ids[which]})

        self.own_contact.refresh_from_db()
        self.assertEqual(self.own_contact.account, self.own_account)

    def test_parent_of_new_account(self):
        ids = {"hidden": self.account.pk, "missing": MISSING}

        self.check_same_as_missing(
            "POST", "/api/v1/accounts/", "parent", "Account",
            lambda which: {"name": "Initech", "parent": ids[which]},
        )

        self.assertFalse(Account.objects.filter(name="Initech").exists())

    def test_parent_set_by_update(self):
        ids = {"hidden": self.account.pk, "missing": MISSING}

        self.check_same_as_missing(
            "PATCH", f"/api/v1/accounts/{self.own_account.pk}/", "parent", "Account",
            lambda which: {"parent": ids[which]},
        )

        self.own_account.refresh_from_db()
        self.assertIsNone(self.own_account.parent)

    def test_hidden_parent_already_set_stays(self):
        Account.objects.filter(pk=self.own_account.pk).update(parent=self.account)

        response = self.send(
            "PATCH", f"/api/v1/accounts/{self.own_account.pk}/", {"parent": self.account.pk, "country": "France"}
        )

        self.assertEqual(response.status_code, 200)
        self.own_account.refresh_from_db()
        self.assertEqual(self.own_account.parent, self.account)
        self.assertEqual(self.own_account.country, "France")

    def test_contact_reports_to(self):
        ids = {"hidden": self.hidden_contact.pk, "missing": MISSING}

        self.check_same_as_missing(
            "PATCH", f"/api/v1/contacts/{self.own_contact.pk}/", "reports_to", "Contact",
            lambda which: {"reports_to": ids[which]},
        )

    def test_opportunity_contact(self):
        ids = {"hidden": self.hidden_contact.pk, "missing": MISSING}

        self.check_same_as_missing(
            "POST", f"/api/v1/opportunities/{self.own_opportunity.pk}/contacts/", "contact", "Contact",
            lambda which: {"contact": ids[which], "buying_role": "champion"},
        )

    def test_plan_of_new_action(self):
        ids = {"hidden": self.hidden_plan.pk, "missing": MISSING}

        self.check_same_as_missing(
            "POST", "/api/v1/plan-actions/", "plan", "Plan",
            lambda which: {"plan": ids[which], "title": "Call the buyer"},
        )

    def test_team_member_still_names_account(self):
        self.login(self.owner)

        response = self.send("POST", "/api/v1/contacts/", {"account": self.account.pk, "last_name": "Brown"})

        self.assertEqual(response.status_code, 201)
