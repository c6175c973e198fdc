"""Generated demo data for a first start: users, accounts, contacts, contracts, opportunities.

The data is made up and repeatable: the same seed gives the same records.
"""

import datetime
import random
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accountwise.accounts.models import (
    Account,
    AccountType,
    Contact,
    ContactRole,
    DecisionPower,
    Sentiment,
)
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.core.models import Organisation
from accountwise.opportunities.defaults import ensure_default_stages
from accountwise.opportunities.models import Opportunity, Stage, StageChange, StageKind
from accountwise.users.models import Role, User

DEMO_MEMBERS = [
    ("kim", "Kim", "Larsen"),
    ("lee", "Lee", "Okafor"),
    ("sam", "Sam", "Moreau"),
]

# Name, industry, country, parent name.
DEMO_ACCOUNTS = [
    ("Northwind Holdings", "Conglomerate", "United Kingdom", ""),
    ("Northwind Logistics", "Logistics", "United Kingdom", "Northwind Holdings"),
    ("Northwind Retail", "Retail", "Ireland", "Northwind Holdings"),
    ("Contoso Pharmaceuticals", "Pharmaceuticals", "Switzerland", ""),
    ("Contoso Diagnostics", "Medical devices", "Germany", "Contoso Pharmaceuticals"),
    ("Fabrikam Motors", "Automotive", "Germany", ""),
    ("Tailspin Airlines", "Aviation", "United States", ""),
    ("Wide World Importers", "Wholesale", "Netherlands", ""),
    ("Litware Software", "Software", "United States", ""),
    ("Adventure Works Cycles", "Manufacturing", "France", ""),
    ("Blue Yonder Energy", "Energy", "Norway", ""),
    ("Proseware Media", "Media", "Spain", ""),
    ("Alpine Ski House", "Hospitality", "Austria", ""),
    ("Coho Vineyard", "Food and beverage", "Australia", ""),
    ("Margie's Travel", "Travel", "Canada", ""),
    ("Trey Research", "Biotechnology", "Sweden", ""),
    ("Woodgrove Bank", "Banking", "Luxembourg", ""),
    ("Lucerne Publishing", "Publishing", "Switzerland", ""),
    ("Humongous Insurance", "Insurance", "United States", ""),
    ("Relecloud Telecom", "Telecommunications", "Italy", ""),
]

FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
               "Kaja", "Luis", "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Tara"]
LAST_NAMES = ["Almeida", "Brandt", "Carvalho", "Dubois", "Eriksen", "Fischer", "García", "Horvat",
              "Ito", "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Neill", "Petrov",
              "Quinn", "Rossi", "Schmidt", "Tanaka"]
JOB_TITLES = ["Chief Procurement Officer", "Head of IT", "CFO", "Operations Director",
              "Category Manager", "Buyer", "CTO", "Supply Chain Lead", "Legal Counsel"]
CONTRACT_NAMES = ["Master services agreement", "Support and maintenance", "Licence renewal",
                  "Framework agreement", "Managed service", "Training programme"]
OPPORTUNITY_NAMES = ["Expansion to new sites", "Platform upgrade", "Renewal", "Upsell: analytics",
                     "New business unit", "Pilot project", "Consulting package", "Cross-sell: support"]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 500)


@transaction.atomic
def create_demo_data(password: str, seed: int = 7) -> User:
    """Create the demo users and portfolio, and return the administrator."""
    rng = random.Random(seed)
    ensure_default_stages()
    organisation = Organisation.get()
    organisation.name = "Demo Company"
    organisation.save()

    admin = User.objects.create_user(
        "admin", password=password, first_name="Alex", last_name="Admin",
        email="admin@example.com", role=Role.ADMINISTRATOR,
    )
    members = [
        User.objects.create_user(username, password=password, first_name=first, last_name=last,
                                 email=f"{username}@example.com")
        for username, first, last in DEMO_MEMBERS
    ]

    stages = list(Stage.objects.in_use())
    today = timezone.localdate()
    accounts_by_name: dict[str, Account] = {}
    for index, (name, industry, country, parent_name) in enumerate(DEMO_ACCOUNTS):
        owner = members[index % len(members)]
        account = Account.objects.create(
            name=name,
            owner=owner,
            type=AccountType.STRATEGIC if index % 4 == 0 else AccountType.NORMAL,
            industry=industry,
            country=country,
            parent=accounts_by_name.get(parent_name),
            website=f"https://www.{re.sub('[^a-z]', '', name.split()[0].lower())}.example",
            description=f"{name} is a {industry.lower()} customer based in {country}.",
        )
        account.team_members.set([m for m in members if m != owner][: rng.randint(0, 2)])
        accounts_by_name[name] = account
        _create_contacts(rng, account, owner, today)
        _create_contracts(rng, account, owner, today)
        _create_opportunities(rng, account, owner, stages, today)
    return admin


def _create_contacts(rng: random.Random, account: Account, owner: User, today) -> None:
    roles = list(ContactRole.values)
    manager = None
    for position in range(rng.randint(2, 5)):
        key_player = position < 2
        contact = Contact.objects.create(
            account=account,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            job_title=rng.choice(JOB_TITLES),
            email=f"contact{position}@{account.pk}.example.com",
            phone=f"+44 20 7946 {rng.randint(1000, 9999)}",
            is_key_player=key_player,
            role=roles[position % len(roles)] if position < 3 else "",
            reports_to=manager,
            sentiment=rng.choice(Sentiment.values) if key_player else "",
            decision_power=rng.choice(DecisionPower.values) if key_player else "",
            relationship_owner=owner if key_player else None,
            last_contact_date=today - datetime.timedelta(days=rng.randint(3, 120)) if key_player else None,
        )
        manager = manager or contact


def _create_contracts(rng: random.Random, account: Account, owner: User, today) -> None:
    for _ in range(rng.randint(1, 3)):
        start = today - datetime.timedelta(days=rng.randint(60, 900))
        end = start + datetime.timedelta(days=rng.choice([365, 730, 1095]))
        Contract.objects.create(
            account=account,
            name=rng.choice(CONTRACT_NAMES),
            description="Scope, service levels and pricing as agreed with procurement.",
            value=_money(rng, 20, 800),
            start_date=start,
            end_date=end,
            status=ContractStatus.ARCHIVED if end < today else ContractStatus.ACTIVE,
            owner=owner,
        )


def _create_opportunities(rng, account: Account, owner: User, stages: list[Stage], today) -> None:
    for _ in range(rng.randint(2, 6)):
        stage = rng.choice(stages)
        closed = stage.kind in (StageKind.WON, StageKind.LOST)
        offset = -rng.randint(10, 300) if closed else rng.randint(5, 240)
        opportunity = Opportunity.objects.create(
            account=account,
            name=rng.choice(OPPORTUNITY_NAMES),
            stage=stage,
            value=_money(rng, 4, 400),
            close_date=today + datetime.timedelta(days=offset),
            owner=owner,
        )
        _record_stage_path(rng, opportunity, stages)


def _record_stage_path(rng, opportunity: Opportunity, stages: list[Stage]) -> None:
    """Give a demo opportunity a past: created months ago, then moved through the open stages to its own.

    Without it the stage calibration and the average age of the reports would
    show nothing on a fresh demo.
    """
    open_stages = [stage for stage in stages if stage.kind == StageKind.OPEN]
    if opportunity.stage.kind == StageKind.OPEN:
        path = open_stages[: open_stages.index(opportunity.stage) + 1]
    else:
        reached = len(open_stages) if opportunity.is_won else rng.randint(1, len(open_stages))
        path = [*open_stages[:reached], opportunity.stage]

    created = timezone.now() - datetime.timedelta(days=rng.randint(60, 400))
    step = (timezone.now() - created) / (len(path) + 1)
    StageChange.objects.record([
        StageChange(
            opportunity=opportunity,
            from_stage=previous,
            to_stage=stage,
            changed_at=created + step * position,
            changed_by=opportunity.owner,
        )
        for position, (previous, stage) in enumerate(zip([None, *path], path))
    ])
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=created)
