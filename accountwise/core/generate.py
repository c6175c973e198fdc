"""Generate a large, realistic, made-up portfolio for benchmarks and trials.

For each account: 5 contacts, 5 contracts, 20 opportunities with their stage
history, and one plan with 3 actions. About 15 % of the accounts belong to a
group (a parent account). Owners and team members come from generated account
managers, about one per 200 accounts, at least 3 and at most 50. Contract dates
spread over the past and the next three years. Opportunities are at every stage,
and the stage changes of each walk through the open stages up to its current one.

The same seed gives the same records on an empty database. Dates are relative
to the day of the run. Rows are written with bulk_create, a batch of accounts
at a time, so memory stays flat. The audit history gets a "created" row for
accounts, contracts and plans only, because history rows for every contact and
opportunity would double the time of a large run.
"""

import datetime
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accountwise.accounts.models import (
    Account,
    AccountStatus,
    AccountType,
    Contact,
    ContactRole,
    DecisionPower,
    Sentiment,
)
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.customfields.models import CustomField, Entity, FieldType
from accountwise.opportunities.defaults import ensure_default_stages
from accountwise.opportunities.models import Opportunity, Stage, StageChange, StageKind
from accountwise.plans.models import Plan, PlanAction, PlanStatus
from accountwise.users.models import Role, User

logger = logging.getLogger(__name__)

DEFAULT_SEED = 20261204
CONTACTS_PER_ACCOUNT = 5
CONTRACTS_PER_ACCOUNT = 5
OPPORTUNITIES_PER_ACCOUNT = 20
ACTIONS_PER_PLAN = 3
ACCOUNTS_PER_MANAGER = 200
MIN_MANAGERS = 3
MAX_MANAGERS = 50
# Accounts generated, with everything that belongs to them, per round of inserts.
ACCOUNTS_PER_BATCH = 500
INSERT_BATCH_SIZE = 2000
GROUP_SHARE = 0.04
SUBSIDIARY_SHARE = 0.15
YEAR = 365

# Share of opportunities by where they stand today: open, on hold, won, lost.
OUTCOME_WEIGHTS = {StageKind.OPEN: 50, StageKind.ON_HOLD: 5, StageKind.WON: 25, StageKind.LOST: 20}

COMPANY_FIRST_WORDS = [
    "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Woodgrove", "Lucerne",
    "Relecloud", "Alpine", "Blue Yonder", "Coho", "Trey", "Humongous", "Wingtip", "Adatum",
    "Bellows", "Cascade", "Dunmore", "Evergreen", "Falcon", "Granite", "Harbor", "Ironbridge",
    "Juniper", "Keystone", "Lakeside", "Meridian", "Northgate", "Oakridge", "Pinnacle", "Quarry",
    "Redwood", "Silverline", "Summit", "Tidewater", "Union", "Vantage", "Westfield", "Yellowstone",
    "Zenith", "Aurora", "Beacon", "Crescent", "Delta", "Ember", "Frontier", "Glacier", "Horizon",
    "Insight", "Jadeite", "Kestrel", "Larkspur", "Monarch", "Nimbus", "Orchard", "Polaris",
    "Quayside", "Riverside", "Sterling",
]
COMPANY_SECTOR_WORDS = [
    "Logistics", "Pharmaceuticals", "Motors", "Airlines", "Software", "Energy", "Media",
    "Insurance", "Telecom", "Foods", "Chemicals", "Retail", "Health", "Engineering", "Steel",
    "Textiles", "Robotics", "Analytics", "Capital", "Shipping", "Materials", "Devices",
    "Hospitality", "Publishing", "Biotech", "Construction", "Packaging", "Semiconductors",
    "Aerospace", "Water", "Paper", "Glass", "Cement", "Pharma Distribution", "Medical",
    "Consulting", "Security", "Electronics", "Agriculture", "Mining",
]
LEGAL_FORMS = ["Ltd", "GmbH", "SA", "Inc.", "AG", "BV", "plc", "S.p.A.", "AB", "Oy", "SAS", "LLC"]
GROUP_WORDS = ["Group", "Holdings", "International"]
REGION_WORDS = ["Nordic", "Atlantic", "Pacific", "Global", "United", "Central", "Continental",
                "Eastern", "Western", "Southern", "Iberian", "Baltic"]
# Random draws of an account name before a number makes it unique.
NAME_DRAWS = 5
INDUSTRIES = {
    "Logistics": "Logistics", "Pharmaceuticals": "Pharmaceuticals", "Motors": "Automotive",
    "Airlines": "Aviation", "Software": "Software", "Energy": "Energy", "Media": "Media",
    "Insurance": "Insurance", "Telecom": "Telecommunications", "Foods": "Food and beverage",
    "Chemicals": "Chemicals", "Retail": "Retail", "Health": "Healthcare",
    "Engineering": "Engineering", "Steel": "Metals", "Textiles": "Textiles",
    "Robotics": "Manufacturing", "Analytics": "Software", "Capital": "Financial services",
    "Shipping": "Logistics", "Materials": "Chemicals", "Devices": "Medical devices",
    "Hospitality": "Hospitality", "Publishing": "Publishing", "Biotech": "Biotechnology",
    "Construction": "Construction", "Packaging": "Manufacturing", "Semiconductors": "Electronics",
    "Aerospace": "Aerospace", "Water": "Utilities", "Paper": "Manufacturing", "Glass": "Manufacturing",
    "Cement": "Construction", "Pharma Distribution": "Wholesale", "Medical": "Healthcare",
    "Consulting": "Professional services", "Security": "Professional services",
    "Electronics": "Electronics", "Agriculture": "Agriculture", "Mining": "Mining",
}
COUNTRIES = [
    "Germany", "United Kingdom", "France", "United States", "Netherlands", "Switzerland", "Sweden",
    "Spain", "Italy", "Belgium", "Austria", "Denmark", "Norway", "Finland", "Ireland", "Poland",
    "Canada", "Australia", "Japan", "Singapore",
]
FIRST_NAMES = [
    "Ana", "Ben", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kaja", "Luis",
    "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Tara", "Umar", "Vera", "Wen",
    "Ximena", "Yusuf", "Zoe", "Amélie", "Bruno", "Carmen", "Dmitri", "Emma", "Farid", "Giulia",
    "Hannah", "Ivan", "Julia", "Kenji", "Lena", "Marco", "Nadia", "Oscar", "Paula", "Rahul",
    "Sofia", "Tomás", "Ulla", "Viktor", "William", "Yara", "Zainab",
]
LAST_NAMES = [
    "Almeida", "Brandt", "Carvalho", "Dubois", "Eriksen", "Fischer", "García", "Horvat", "Ito",
    "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Neill", "Petrov", "Quinn", "Rossi",
    "Schmidt", "Tanaka", "Underwood", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann", "Andersson",
    "Bianchi", "Costa", "Dimitrov", "Evans", "Fernández", "Gruber", "Hansen", "Ivanova", "Janssen",
    "Kim", "Lindqvist", "Martin", "Novak", "Olsen", "Peeters", "Richter", "Santos", "Torres",
    "Van Dijk", "Wagner", "Nowak", "Moreau", "Singh",
]
JOB_TITLES = [
    "Chief Procurement Officer", "Head of IT", "Chief Financial Officer", "Operations Director",
    "Category Manager", "Buyer", "Chief Technology Officer", "Supply Chain Lead", "Legal Counsel",
    "Head of Sales", "Plant Manager", "Project Manager", "Finance Controller", "IT Architect",
    "Managing Director",
]
CONTRACT_NAMES = [
    "Master services agreement", "Support and maintenance", "Licence renewal", "Framework agreement",
    "Managed service", "Training programme", "Hosting", "Spare parts supply", "Consulting retainer",
    "Software subscription",
]
OPPORTUNITY_NAMES = [
    "Expansion to new sites", "Platform upgrade", "Renewal", "Upsell: analytics", "New business unit",
    "Pilot project", "Consulting package", "Cross-sell: support", "Migration to cloud",
    "Additional licences", "Regional roll-out", "Replacement of legacy system",
]
PLAN_OBJECTIVES = [
    "Grow share of wallet in the {industry} division",
    "Secure the renewal of the main agreement",
    "Reach the executive sponsor and agree a joint roadmap",
    "Expand from pilot to a company-wide roll-out",
    "Recover satisfaction after the service incidents",
]
PLAN_ACTIONS = [
    "Schedule an executive business review", "Map the buying centre", "Send the renewal proposal",
    "Run a workshop with the operations team", "Agree success criteria for the pilot",
    "Prepare the pricing for the next fiscal year", "Introduce our product specialist",
    "Collect references from a similar customer", "Review open support cases",
]
TIERS = ["Platinum", "Gold", "Silver", "Bronze"]
TIER_WEIGHTS = [5, 20, 40, 35]
PRODUCT_LINES = ["Platform", "Analytics", "Services", "Hardware", "Support"]

# The custom fields that generated records fill: entity, key, label, type, choices.
CUSTOM_FIELDS = [
    (Entity.ACCOUNT, "tier", "Tier", FieldType.CHOICE, TIERS),
    (Entity.ACCOUNT, "annual_budget", "Annual budget", FieldType.MONEY, []),
    (Entity.CONTRACT, "renewal_review", "Renewal review", FieldType.DATE, []),
    (Entity.OPPORTUNITY, "product_line", "Product line", FieldType.CHOICE, PRODUCT_LINES),
]


class PortfolioExists(Exception):
    """Raised when the database already contains accounts and adding to them was not requested."""


@dataclass
class GenerationResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


def generate_portfolio(
    accounts: int,
    seed: int = DEFAULT_SEED,
    *,
    password: str = "",
    add_to_existing: bool = False,
    progress: Callable[[int], None] | None = None,
) -> GenerationResult:
    """Generate a portfolio of `accounts` accounts in one transaction and return the counts.

    Raise PortfolioExists when accounts exist, unless add_to_existing is set.
    Adding skips the names already in use, so the records then differ from
    those of the same seed on an empty database. Generated users get
    `password`, or an unusable one when it is empty. progress is called with
    the number of accounts done after each batch.
    """
    if accounts < 1:
        raise ValueError(f"The number of accounts must be at least 1, not {accounts}.")
    # The base manager counts softly deleted accounts too, whose names stay taken.
    if not add_to_existing and Account._base_manager.exists():
        raise PortfolioExists

    started = time.perf_counter()
    with transaction.atomic():
        ensure_default_stages()
        generator = _PortfolioGenerator(random.Random(seed), timezone.localdate())
        generator.run(accounts, password, progress)
    generator.result.seconds = time.perf_counter() - started
    return generator.result


def _amount(rng: random.Random, median: int, spread: float, low: int, high: int) -> Decimal:
    """Return a whole-hundreds amount from a log-normal spread around a median, within [low, high]."""
    value = median * rng.lognormvariate(0, spread)
    return Decimal(int(min(max(value, low), high)) // 100 * 100).quantize(Decimal("0.01"))


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """Return a time within office hours on a day, in the installation's time zone."""
    naive = datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60)))
    return timezone.make_aware(naive)


class _PortfolioGenerator:
    """Draw every record from one random generator, in a fixed order, so a seed repeats the data."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.result = GenerationResult()
        self.taken_names = {name.lower() for name in Account._base_manager.values_list("name", flat=True)}
        self.stages = list(Stage.objects.in_use())
        self.open_stages = [stage for stage in self.stages if stage.kind == StageKind.OPEN]
        self.fixed_stages = {stage.kind: stage for stage in self.stages if stage.kind != StageKind.OPEN}
        self.managers: list[User] = []
        self.custom_fields: set[tuple[str, str]] = set()
        # Group accounts with the stem their subsidiaries' names start with.
        self.groups: list[tuple[Account, str]] = []

    def run(self, accounts: int, password: str, progress: Callable[[int], None] | None) -> None:
        self.custom_fields = self._create_custom_fields()
        self.managers = self._create_managers(_manager_count(accounts), password)

        done = 0
        while done < accounts:
            size = min(ACCOUNTS_PER_BATCH, accounts - done)
            self._create_batch(size)
            done += size
            if progress:
                progress(done)

    # Users and custom-field definitions, once per run.

    def _create_custom_fields(self) -> set[tuple[str, str]]:
        """Create the generated custom fields that do not exist, and return the (entity, key) pairs to fill.

        A field that exists with another type keeps its definition and gets no
        generated values.
        """
        existing = {(item.entity, item.key): item for item in CustomField.objects.all()}
        next_position = max((item.position for item in existing.values()), default=0) + 10
        fillable = set()
        for entity, key, label, field_type, choices in CUSTOM_FIELDS:
            current = existing.get((entity, key))
            if current is None:
                label_taken = CustomField.objects.filter(entity=entity, label__iexact=label).exists()
                if label_taken:
                    continue
                CustomField.objects.create(
                    entity=entity, key=key, label=label, field_type=field_type, choices=choices,
                    position=next_position, show_in_list=True, filterable=True,
                )
                next_position += 10
                self.result.add("custom fields", 1)
            elif current.field_type != field_type:
                logger.warning("Custom field %s.%s exists with type %s; it gets no generated values",
                               entity, key, current.field_type)
                continue
            fillable.add((entity, key))
        return fillable

    def _create_managers(self, number: int, password: str) -> list[User]:
        # One hash shared by every generated user, because hashing a password on purpose takes long.
        password_hash = make_password(password or None)
        taken = set(User.objects.values_list("username", flat=True))
        managers = []
        for _ in range(number):
            first_name = self.rng.choice(FIRST_NAMES)
            last_name = self.rng.choice(LAST_NAMES)
            username = _unique(slugify(f"{first_name[0]}{last_name}").replace("-", ""), taken)
            managers.append(User(
                username=username, first_name=first_name, last_name=last_name,
                email=f"{username}@example.com", role=Role.ACCOUNT_MANAGER, password=password_hash,
            ))
        managers = User.objects.bulk_create(managers)
        self.result.add("users", len(managers))
        return managers

    # One batch of accounts with everything that belongs to them.

    def _create_batch(self, size: int) -> None:
        accounts = self._create_accounts(size)
        self._create_team_members(accounts)
        self._create_contacts(accounts)
        contracts = self._create_contracts(accounts)
        opportunities = self._create_opportunities(accounts)
        self._create_plans(accounts, contracts, opportunities)

    def _create_accounts(self, size: int) -> list[Account]:
        group_count = round(size * GROUP_SHARE)
        stems = [self._group_stem() for _ in range(group_count)]
        groups = [self._new_account(name, "") for name in (self._group_name(stem) for stem in stems)]
        groups = self._insert(Account, groups, "accounts", history=True)
        self.groups.extend(zip(groups, stems))

        others = []
        subsidiary_count = round((size - group_count) * SUBSIDIARY_SHARE) if self.groups else 0
        subsidiaries = set(self.rng.sample(range(size - group_count), subsidiary_count))
        for index in range(size - group_count):
            parent, stem = (None, self._company_stem())
            if index in subsidiaries:
                parent, stem = self.rng.choice(self.groups)
            sector = self.rng.choice(COMPANY_SECTOR_WORDS)
            others.append(self._new_account(self._company_name(stem, sector), sector, parent))
        others = self._insert(Account, others, "accounts", history=True)
        return groups + others

    def _new_account(self, name: str, sector: str, parent: Account | None = None) -> Account:
        rng = self.rng
        custom_fields = {}
        if (Entity.ACCOUNT, "tier") in self.custom_fields:
            custom_fields["tier"] = rng.choices(TIERS, TIER_WEIGHTS)[0]
        if (Entity.ACCOUNT, "annual_budget") in self.custom_fields:
            custom_fields["annual_budget"] = str(_amount(rng, 400_000, 1.0, 20_000, 50_000_000))
        return Account(
            name=name,
            owner=rng.choice(self.managers),
            type=AccountType.STRATEGIC if rng.random() < 0.1 else AccountType.NORMAL,
            industry=INDUSTRIES.get(sector, "Conglomerate"),
            country=parent.country if parent and rng.random() < 0.5 else rng.choice(COUNTRIES),
            parent=parent,
            website=f"https://www.{slugify(name)}.example",
            status=AccountStatus.ARCHIVED if rng.random() < 0.05 else AccountStatus.ACTIVE,
            custom_fields=custom_fields,
        )

    def _company_stem(self) -> str:
        """Return the distinctive start of a company name, such as "Nordic Falcon" or "Falcon"."""
        word = self.rng.choice(COMPANY_FIRST_WORDS)
        return f"{self.rng.choice(REGION_WORDS)} {word}" if self.rng.random() < 0.3 else word

    def _group_stem(self) -> str:
        return f"{self.rng.choice(REGION_WORDS)} {self.rng.choice(COMPANY_FIRST_WORDS)}"

    def _group_name(self, stem: str) -> str:
        return self._free_name(lambda: f"{stem} {self.rng.choice(GROUP_WORDS)}")

    def _company_name(self, stem: str, sector: str) -> str:
        return self._free_name(lambda: f"{stem} {sector} {self.rng.choice(LEGAL_FORMS)}")

    def _free_name(self, draw: Callable[[], str]) -> str:
        """Draw account names until one is free; after a few tries, number the last one."""
        for _ in range(NAME_DRAWS):
            name = draw()
            if name.lower() not in self.taken_names:
                self.taken_names.add(name.lower())
                return name
        return _unique(name, self.taken_names, lower=True)

    def _create_team_members(self, accounts: list[Account]) -> None:
        through = Account.team_members.through
        links = []
        for account in accounts:
            others = [manager for manager in self.managers if manager.pk != account.owner_id]
            for member in self.rng.sample(others, min(len(others), self.rng.randint(1, 3))):
                links.append(through(account_id=account.pk, user_id=member.pk))
        self._insert(through, links, "team members")

    def _create_contacts(self, accounts: list[Account]) -> None:
        # The first contact of each account heads it, and the others report to that one.
        # The heads are inserted first because reports_to needs their primary keys.
        heads = [self._new_contact(account, "Managing Director") for account in accounts]
        heads = self._insert(Contact, heads, "contacts")
        others = [
            self._new_contact(account, self.rng.choice(JOB_TITLES), reports_to=head)
            for account, head in zip(accounts, heads)
            for _ in range(CONTACTS_PER_ACCOUNT - 1)
        ]
        self._insert(Contact, others, "contacts")

    def _new_contact(self, account: Account, job_title: str, reports_to: Contact | None = None) -> Contact:
        rng = self.rng
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        domain = account.website.removeprefix("https://www.")
        local_part = slugify(f"{first_name}.{last_name}").replace("-", ".") or "contact"
        return Contact(
            account=account,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            email=f"{local_part}@{domain}",
            phone=f"+{rng.randint(1, 49)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}",
            is_key_player=reports_to is None or rng.random() < 0.25,
            role=rng.choice([*ContactRole.values, ""]),
            reports_to=reports_to,
            sentiment=rng.choice([*Sentiment.values, ""]),
            decision_power=rng.choice([*DecisionPower.values, ""]),
            relationship_owner_id=account.owner_id,
            last_contact_date=self.today - datetime.timedelta(days=rng.randint(0, 180)),
        )

    def _create_contracts(self, accounts: list[Account]) -> list[Contract]:
        fill_review = (Entity.CONTRACT, "renewal_review") in self.custom_fields
        contracts = []
        for account in accounts:
            for _ in range(CONTRACTS_PER_ACCOUNT):
                contracts.append(self._new_contract(account, fill_review))
        return self._insert(Contract, contracts, "contracts", history=True)

    def _new_contract(self, account: Account, fill_review: bool) -> Contract:
        rng = self.rng
        # Starts from three years ago to half a year ahead, for one to three years.
        start = self.today + datetime.timedelta(days=rng.randint(-3 * YEAR, YEAR // 2))
        end = start + datetime.timedelta(days=rng.choice([1, 2, 3]) * YEAR - 1)
        ended = end < self.today
        custom_fields = {}
        if fill_review:
            custom_fields["renewal_review"] = (end - datetime.timedelta(days=90)).isoformat()
        return Contract(
            account=account,
            name=f"{rng.choice(CONTRACT_NAMES)} {start.year}",
            value=_amount(rng, 60_000, 1.0, 2_000, 5_000_000),
            start_date=start,
            end_date=end,
            # Most ended contracts are archived; the rest await their renewal.
            status=ContractStatus.ARCHIVED if ended and rng.random() < 0.85 else ContractStatus.ACTIVE,
            owner_id=account.owner_id,
            custom_fields=custom_fields,
        )

    def _create_opportunities(self, accounts: list[Account]) -> list[Opportunity]:
        fill_product_line = (Entity.OPPORTUNITY, "product_line") in self.custom_fields
        opportunities = []
        paths = []
        for account in accounts:
            for _ in range(OPPORTUNITIES_PER_ACCOUNT):
                opportunity, path = self._new_opportunity(account, fill_product_line)
                opportunities.append(opportunity)
                paths.append(path)
        opportunities = self._insert(Opportunity, opportunities, "opportunities")

        changes = [
            StageChange(opportunity_id=opportunity.pk, from_stage=previous, to_stage=stage,
                        changed_at=moment, changed_by_id=opportunity.owner_id)
            for opportunity, path in zip(opportunities, paths)
            for previous, stage, moment in path
        ]
        recorded = StageChange.objects.record(changes, batch_size=INSERT_BATCH_SIZE)
        self.result.add("stage changes", len(recorded))
        return opportunities

    def _new_opportunity(self, account: Account, fill_product_line: bool) -> tuple[Opportunity, list]:
        """Return an unsaved opportunity and its stage changes as (from stage, to stage, moment)."""
        rng = self.rng
        kind = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        stages = self._stage_path(kind)
        close_date, last_change = self._close_and_last_change(kind)

        first_change = last_change - datetime.timedelta(days=rng.randint(30, 270))
        span = (last_change - first_change).days
        moments = sorted(_moment(rng, first_change + datetime.timedelta(days=rng.randint(0, span))) for _ in stages)
        path = list(zip([None, *stages], stages, moments))

        custom_fields = {"product_line": rng.choice(PRODUCT_LINES)} if fill_product_line else {}
        # NOTE: created_at is the time of the run (auto_now_add), later than the first stage change.
        opportunity = Opportunity(
            account=account,
            name=rng.choice(OPPORTUNITY_NAMES),
            stage=stages[-1],
            value=_amount(rng, 25_000, 1.1, 1_000, 2_000_000),
            close_date=close_date,
            owner_id=account.owner_id if rng.random() < 0.7 else rng.choice(self.managers).pk,
            custom_fields=custom_fields,
        )
        return opportunity, path

    def _close_and_last_change(self, kind: str) -> tuple[datetime.date, datetime.date]:
        """Return the close date for an opportunity whose stage is of this kind, and the day of its last change."""
        rng = self.rng
        # The last change is yesterday at the latest, so that no change lies in the future.
        yesterday = self.today - datetime.timedelta(days=1)
        if kind in (StageKind.WON, StageKind.LOST):
            close_date = yesterday - datetime.timedelta(days=rng.randint(0, 3 * YEAR))
            return close_date, close_date
        if kind == StageKind.ON_HOLD:
            return self.today + datetime.timedelta(days=rng.randint(30, YEAR)), yesterday
        # A few open opportunities are overdue: their close date has passed.
        return self.today + datetime.timedelta(days=rng.randint(-30, YEAR + YEAR // 2)), yesterday

    def _stage_path(self, kind: str) -> list[Stage]:
        """Return the stages an opportunity moved into, the one it was created at first.

        Open stages are walked in order. A won opportunity went through all of
        them, sometimes skipping one. The others stopped at an earlier stage
        more often than at a later one, so the observed win rate rises stage
        by stage, as in a real pipeline.
        """
        rng = self.rng
        open_stages = self.open_stages
        if not open_stages:
            return [self.fixed_stages[kind]]
        # Renewals and upsells often start past the first stage.
        start = 0 if rng.random() < 0.8 else rng.randrange(len(open_stages))
        if kind == StageKind.WON:
            walked = [stage for stage in open_stages[start:] if rng.random() < 0.85] or [open_stages[-1]]
        else:
            reached = start + min(int(rng.expovariate(0.7)), len(open_stages) - 1 - start)
            walked = open_stages[start:reached + 1]
        if kind != StageKind.OPEN:
            walked.append(self.fixed_stages[kind])
        return walked

    def _create_plans(self, accounts: list[Account], contracts: list[Contract],
                      opportunities: list[Opportunity]) -> None:
        rng = self.rng
        plans = []
        for index, account in enumerate(accounts):
            account_contracts = contracts[index * CONTRACTS_PER_ACCOUNT:(index + 1) * CONTRACTS_PER_ACCOUNT]
            account_opportunities = opportunities[index * OPPORTUNITIES_PER_ACCOUNT:(index + 1) * OPPORTUNITIES_PER_ACCOUNT]
            plans.append(self._new_plan(account, account_contracts, account_opportunities))
        plans = self._insert(Plan, plans, "plans", history=True)

        actions = []
        for plan in plans:
            span = max((plan.due_date - plan.start_date).days, 1)
            for title in rng.sample(PLAN_ACTIONS, ACTIONS_PER_PLAN):
                due = plan.start_date + datetime.timedelta(days=rng.randint(1, span))
                done = plan.status == PlanStatus.COMPLETED or (due < self.today and rng.random() < 0.7)
                actions.append(PlanAction(plan=plan, title=title, owner_id=plan.owner_id, due_date=due, done=done))
        self._insert(PlanAction, actions, "plan actions")

    def _new_plan(self, account: Account, contracts: list[Contract], opportunities: list[Opportunity]) -> Plan:
        rng = self.rng
        status = rng.choices([PlanStatus.ACTIVE, PlanStatus.DRAFT, PlanStatus.COMPLETED], [60, 20, 20])[0]
        start = self.today - datetime.timedelta(days=rng.randint(0, YEAR))
        basis = rng.random()
        active_contracts = [contract for contract in contracts if contract.status == ContractStatus.ACTIVE]
        open_opportunities = [item for item in opportunities if item.stage.kind == StageKind.OPEN]
        contract = active_contracts[0] if basis < 0.4 and active_contracts else None
        opportunity = open_opportunities[0] if contract is None and basis < 0.8 and open_opportunities else None
        return Plan(
            account=account,
            name=f"{account.name} account plan {start.year}",
            objective=rng.choice(PLAN_OBJECTIVES).format(industry=account.industry.lower() or "main"),
            owner_id=account.owner_id,
            status=status,
            start_date=start,
            due_date=start + datetime.timedelta(days=rng.randint(60, YEAR)),
            contract=contract,
            opportunity=opportunity,
        )

    def _insert(self, model, objects: list, name: str, history: bool = False) -> list:
        """Insert the objects in batches and return them with their primary keys.

        With history, each also gets a "created" row in its audit history.
        """
        created = model.objects.bulk_create(objects, batch_size=INSERT_BATCH_SIZE)
        if history:
            model.history.bulk_history_create(created, batch_size=INSERT_BATCH_SIZE,
                                              default_change_reason="Generated")
        self.result.add(name, len(created))
        return created


def _manager_count(accounts: int) -> int:
    return min(MAX_MANAGERS, max(MIN_MANAGERS, -(-accounts // ACCOUNTS_PER_MANAGER)))


def _unique(name: str, taken: set[str], *, lower: bool = False) -> str:
    """Return the name, or the name with the lowest free number after it, and mark it taken."""
    candidate = name
    for number in count(2):
        key = candidate.lower() if lower else candidate
        if key not in taken:
            taken.add(key)
            return candidate
        candidate = f"{name} {number}" if lower else f"{name}{number}"
    raise AssertionError("unreachable")
