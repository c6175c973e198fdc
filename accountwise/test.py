"""Shared test cast and factories.

The cast: an administrator (alice), the owner of the account (bob), a team
member (charlie), an account manager outside the team (dave) and a read-only
contributor (frank). bob, charlie and dave are account managers.
"""

import datetime
from decimal import Decimal
from itertools import count

from django.test import TestCase

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.core.models import Organisation
from accountwise.opportunities.models import Opportunity, OpportunityContact, Stage, StageKind
from accountwise.plans.models import Plan, PlanAction
from accountwise.users.models import Role, User

PASSWORD = "correct-horse-battery-staple"
_sequence = count(1)


def make_user(username: str | None = None, **fields) -> User:
    username = username or f"user{next(_sequence)}"
    fields.setdefault("first_name", username.capitalize())
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


def make_account(name: str | None = None, team=(), **fields) -> Account:
    account = Account.objects.create(name=name or f"Account {next(_sequence)}", **fields)
    if team:
        account.team_members.set(team)
    return account


def make_contact(account: Account, last_name: str | None = None, **fields) -> Contact:
    fields.setdefault("first_name", "Pat")
    return Contact.objects.create(
        account=account, last_name=last_name or f"Contact{next(_sequence)}", **fields
    )


def make_contract(account: Account, name: str | None = None, **fields) -> Contract:
    fields.setdefault("value", Decimal("1000.00"))
    return Contract.objects.create(account=account, name=name or f"Contract {next(_sequence)}", **fields)


def stage(kind_or_name: str) -> Stage:
    """Return a default stage by kind (won, lost, on_hold) or by name."""
    if kind_or_name in (StageKind.WON, StageKind.LOST, StageKind.ON_HOLD):
        return Stage.objects.get(kind=kind_or_name)
    return Stage.objects.get(name=kind_or_name)


def make_opportunity(account: Account, name: str | None = None, **fields) -> Opportunity:
    fields.setdefault("value", Decimal("1000.00"))
    fields.setdefault("close_date", datetime.date(2027, 6, 30))
    if "stage" not in fields:
        fields["stage"] = stage("Proposal")
    return Opportunity.objects.create(
        account=account, name=name or f"Opportunity {next(_sequence)}", **fields
    )


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("alice", role=Role.ADMINISTRATOR)
        cls.owner = make_user("bob")
        cls.teammate = make_user("charlie")
        cls.outsider = make_user("dave")
        cls.contributor = make_user("frank", role=Role.CONTRIBUTOR)
        cls.account = make_account("Acme Corporation", owner=cls.owner, team=[cls.teammate])

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def set_account_visibility(self, visibility: str) -> None:
        """Switch the organisation between every user seeing every account and team-only visibility."""
        Organisation.objects.update_or_create(pk=1, defaults={"account_visibility": visibility})


def make_opportunity_contact(
    opportunity: Opportunity, contact: Contact, buying_role: str = "influencer"
) -> OpportunityContact:
    return OpportunityContact.objects.create(
        opportunity=opportunity, contact=contact, buying_role=buying_role
    )


def make_plan(account: Account, name: str | None = None, **fields) -> Plan:
    fields.setdefault("objective", "Grow the account.")
    return Plan.objects.create(account=account, name=name or f"Plan {next(_sequence)}", **fields)


def make_plan_action(plan: Plan, title: str | None = None, **fields) -> PlanAction:
    return PlanAction.objects.create(plan=plan, title=title or f"Action {next(_sequence)}", **fields)
