"""Every named URL of the site against every role, under both account visibility settings.

The test walks the URL resolver, so a new route fails it until its access is
added to ROUTES below. Arguments come from one set of fixtures, chosen by
parameter name. A GET that gets 405 is sent again as an empty POST, inside a
savepoint that is rolled back, so no request changes what the next one sees.
EXTRA_CASES tries some routes a second time, on another object or with a
query string, where the access depends on which object or account is named.
Under team-only visibility, no page or file the outsider receives may name
the team's account, not even where it is the parent of an account the outsider
works.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accountwise.api.models import ApiToken
from accountwise.core.models import AccountVisibility
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.documents.tests.support import make_uploaded_document
from accountwise.history.deletion import soft_delete
from accountwise.notifications.tests.factories import make_notification, make_rule
from accountwise.opportunities.models import Stage
from accountwise.portfolio.models import SavedFilter
from accountwise.reports.models import ReportDefinition, Visibility
from accountwise.test import (
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_opportunity_contact,
    make_plan,
    make_plan_action,
)
from accountwise.transfer.tests.support import WizardTestCase

OK, LOGIN, DENIED, HIDDEN, UNAUTHENTICATED = "ok", "login", "403", "404", "401"
ROLES = ("anonymous", "admin", "owner", "teammate", "outsider", "contributor")

# Expected outcome per role for each kind of route. The contributor is on the account's team,
# so that team-only visibility shows them the account and only their role stops changes.
EVERYONE = AccountVisibility.EVERYONE
TEAM = AccountVisibility.TEAM
_SIGNED_IN = {"anonymous": LOGIN, "admin": OK, "owner": OK, "teammate": OK, "outsider": OK, "contributor": OK}
KINDS = {
    # Login page and favicon.
    "public": {EVERYONE: dict.fromkeys(ROLES, OK)},
    # Lists filtered by the policy, own profile, API tokens, notification settings.
    "signed-in": {EVERYONE: _SIGNED_IN},
    # A page of an account, or of something on one.
    "read": {
        EVERYONE: _SIGNED_IN,
        TEAM: {**_SIGNED_IN, "outsider": HIDDEN},
    },
    # A change to an account or to something on one.
    "change": {
        EVERYONE: {**_SIGNED_IN, "outsider": DENIED, "contributor": DENIED},
        TEAM: {**_SIGNED_IN, "outsider": HIDDEN, "contributor": DENIED},
    },
    # Creating without an account chosen yet, and importing: not for contributors.
    "create": {EVERYONE: {**_SIGNED_IN, "contributor": DENIED}},
    # An import run that the owner started: administrators see it, other users do not.
    "import-run": {
        EVERYONE: {**_SIGNED_IN, "teammate": HIDDEN, "outsider": HIDDEN, "contributor": DENIED},
    },
    # An import run that only the user who started it may continue.
    "own-import-run": {
        EVERYONE: {**_SIGNED_IN, "admin": HIDDEN, "teammate": HIDDEN, "outsider": HIDDEN, "contributor": DENIED},
    },
    # Something that belongs to the owner as a person: a notification, an API token, a personal saved filter.
    "own": {
        EVERYONE: {**_SIGNED_IN, "admin": HIDDEN, "teammate": HIDDEN, "outsider": HIDDEN, "contributor": HIDDEN},
    },
    # Users, stages, custom fields, renewal rules, report definitions, organisation settings, and
    # changes to a shared saved filter, which every user sees.
    "admin": {EVERYONE: {**dict.fromkeys(ROLES, DENIED), "anonymous": LOGIN, "admin": OK}},
    # A defined report shown to administrators only: to other users it does not exist.
    "admin-only-report": {EVERYONE: {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN, "admin": OK}},
    # Restoring a deleted record: administrators, and the user who deleted it while they may change it (undo).
    "own-deletion": {
        EVERYONE: {**_SIGNED_IN, "teammate": HIDDEN, "outsider": HIDDEN, "contributor": HIDDEN},
    },
    # The OpenAPI schema: DRF answers anonymous requests with 401 rather than a login redirect.
    "api-schema": {EVERYONE: {**_SIGNED_IN, "anonymous": UNAUTHENTICATED}},
}

ROUTES = {
    "users:login": "public",
    "favicon": "public",
    "core:home": "signed-in",
    "core:organisation": "admin",
    "users:logout": "signed-in",
    "users:password-change": "signed-in",
    "users:password-changed": "signed-in",
    "users:list": "admin",
    "users:create": "admin",
    "users:edit": "admin",
    "users:set-password": "admin",
    "accounts:list": "signed-in",
    "accounts:create": "create",
    "accounts:detail": "read",
    "accounts:edit": "change",
    "accounts:archive": "change",
    "accounts:restore": "change",
    "accounts:contacts": "read",
    "accounts:plans": "read",
    "accounts:documents": "read",
    "accounts:history": "read",
    "accounts:contact-create": "change",
    "accounts:contact-detail": "read",
    "accounts:contact-edit": "change",
    "accounts:contact-delete": "change",
    "contracts:create": "create",
    "contracts:detail": "read",
    "contracts:edit": "change",
    "contracts:archive": "change",
    "contracts:archive-confirm": "change",
    "contracts:restore": "change",
    "contracts:section": "read",
    "contracts:archive-expired": "change",
    "opportunities:create": "create",
    "opportunities:detail": "read",
    "opportunities:edit": "change",
    "opportunities:delete": "change",
    "opportunities:quick-update": "change",
    "opportunities:row": "read",
    "opportunities:create-contract": "change",
    "opportunities:contact-add": "change",
    "opportunities:contact-remove": "change",
    "opportunities:section": "read",
    "opportunities:summary": "read",
    "opportunities:contact-chart": "read",
    "stages:list": "admin",
    "stages:create": "admin",
    "stages:edit": "admin",
    "stages:move": "admin",
    "stages:retire": "admin",
    "stages:unretire": "admin",
    "stages:delete": "admin",
    "plans:create": "create",
    "plans:detail": "read",
    "plans:edit": "change",
    "plans:delete": "change",
    "plans:action-create": "change",
    "plans:action-edit": "change",
    "plans:action-done": "change",
    "plans:action-delete": "change",
    "documents:create": "change",
    "documents:download": "read",
    "documents:delete": "change",
    "transfer:export-accounts": "signed-in",
    "transfer:export-contracts": "read",
    "transfer:export-opportunities": "read",
    "transfer:export-contacts": "read",
    "transfer:import-start": "create",
    "transfer:import-history": "create",
    "transfer:import-result": "import-run",
    "transfer:import-columns": "own-import-run",
    "transfer:import-stages": "own-import-run",
    "transfer:import-preview": "own-import-run",
    "transfer:import-cancel": "own-import-run",
    "transfer:import-run": "own-import-run",
    "transfer:import-restart": "own-import-run",
    "transfer:import-rejects": "import-run",
    "transfer:export-portfolio": "signed-in",
    "notifications:list": "signed-in",
    "notifications:open": "own",
    "notifications:mark-read": "own",
    "notifications:mark-all-read": "signed-in",
    "notifications:settings": "signed-in",
    "notifications:rules": "admin",
    "notifications:rule-create": "admin",
    "notifications:rule-edit": "admin",
    "notifications:rule-activate": "admin",
    "notifications:rule-deactivate": "admin",
    "notifications:rule-delete": "admin",
    "customfields:list": "admin",
    "customfields:create": "admin",
    "customfields:edit": "admin",
    "customfields:move": "admin",
    "customfields:retire": "admin",
    "customfields:restore": "admin",
    "history:deleted-items": "admin",
    "history:delete": "change",
    "history:restore": "own-deletion",
    "portfolio:contracts": "signed-in",
    "portfolio:opportunities": "signed-in",
    "portfolio:account-filter": "signed-in",
    "portfolio:account-filter-apply": "signed-in",
    "portfolio:account-filter-clear": "signed-in",
    "portfolio:account-filter-remove": "signed-in",
    "portfolio:saved-filters": "signed-in",
    "portfolio:saved-filter-create": "signed-in",
    "portfolio:saved-filter-edit": "admin",
    "portfolio:saved-filter-delete": "admin",
    "portfolio:saved-filter-apply": "signed-in",
    # Reports cover every account the user may view. EXTRA_CASES runs them for one account, with ?account=.
    "reports:index": "signed-in",
    "reports:opportunity-profile": "signed-in",
    "reports:contracts-opportunities": "signed-in",
    "reports:stage-calibration": "signed-in",
    "reports:defined": "signed-in",
    "reports:definitions": "admin",
    "reports:definition-choose": "admin",
    "reports:definition-create": "admin",
    "reports:definition-edit": "admin",
    "reports:definition-delete": "admin",
    "api:schema": "api-schema",
    "api:docs": "signed-in",
    "api:redoc": "signed-in",
    "api:redoc-bundle": "signed-in",
    "api:tokens": "signed-in",
    "api:token-revoke": "own",
}

# Which fixture a `pk` stands for: by route-name prefix, longest first, then by namespace.
PK_OBJECTS = {
    "accounts:contact-": "contact",
    "plans:action-": "plan_action",
    "notifications:rule-": "rule",
    "api:token-": "token",
    "history:delete": "contract",
    "history:restore": "deleted_contract",
    "portfolio:saved-filter-": "shared_filter",
    "reports:defined": "report_definition",
    "reports:definition-": "report_definition",
    "customfields:": "custom_field",
    "users:": "outsider",
    "accounts:": "account",
    "contracts:": "contract",
    "opportunities:": "opportunity",
    "stages:": "stage",
    "plans:": "plan",
    "documents:": "document",
    "transfer:": "import_run",
    "notifications:": "notification",
}
# Fixtures for every other parameter name.
PARAM_OBJECTS = {"account_pk": "account", "plan_pk": "plan", "contact_pk": "contact"}
PARAM_VALUES = {"file_format": "csv", "kind": "contract", "name": "owner"}
# Parameter values and query strings that only some routes need, such as a URL's `entity`.
ROUTE_VALUES = {
    "transfer:export-portfolio": {"entity": "opportunities"},
    "reports:definition-create": {"entity": "opportunity"},
}
ROUTE_QUERIES = {"portfolio:saved-filter-create": "entity=contracts"}


class Case(NamedTuple):
    """A route tried again on another fixture or with a query string. `{account}` in `query` becomes the account's pk."""

    route: str
    kind: str
    pk: str = ""
    values: tuple[tuple[str, str], ...] = ()
    query: str = ""


EXTRA_CASES = [
    Case("history:delete", "change", pk="account", values=(("kind", "account"),)),
    Case("portfolio:saved-filter-edit", "own", pk="personal_filter"),
    Case("portfolio:saved-filter-delete", "own", pk="personal_filter"),
    Case("portfolio:saved-filter-apply", "own", pk="personal_filter"),
    Case("reports:defined", "admin-only-report", pk="admin_report"),
    Case("reports:defined", "read", query="account={account}"),
    Case("reports:opportunity-profile", "read", query="account={account}"),
    Case("reports:contracts-opportunities", "read", query="account={account}"),
    Case("reports:stage-calibration", "read", query="account={account}"),
    Case("transfer:export-portfolio", "signed-in", values=(("entity", "contracts"),)),
    # A subsidiary of the team's account that every user works, the outsider as its owner.
    Case("accounts:detail", "signed-in", pk="subsidiary"),
    Case("accounts:edit", "create", pk="subsidiary"),
    Case("accounts:contacts", "signed-in", pk="subsidiary"),
    Case("accounts:plans", "signed-in", pk="subsidiary"),
    Case("accounts:documents", "signed-in", pk="subsidiary"),
    Case("accounts:history", "signed-in", pk="subsidiary"),
    # Accounts by parent: the outsider's subsidiary counts under a neutral label, not the team's account.
    Case("reports:defined", "signed-in", pk="parent_report"),
    Case("reports:defined", "signed-in", pk="parent_report", query="download=groups&format=csv"),
]


def named_routes(patterns=None, namespaces=()):
    """Yield (name, parameter names) for every named URL pattern, with its namespaces."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else pattern.callback.__name__
            yield name, list(pattern.pattern.converters)


def site_routes() -> dict[str, list[str]]:
    """Return the named routes of the site, leaving out the REST API's router, which test_api_access covers."""
    return {name: params for name, params in named_routes() if not name.startswith("api:v1:")}


def outcome(response) -> str:
    if response.status_code in (301, 302) and response["Location"].startswith(reverse(settings.LOGIN_URL)):
        return LOGIN
    if response.status_code in (401, 403, 404):
        return str(response.status_code)
    # 400 is a form or parameter the view rejected, so the request got past the permission check.
    assert response.status_code < 500, response.status_code
    return OK


def body_text(response) -> str:
    """Return the page or downloaded file as text, for the CSV exports that stream."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


class RouteAccessTests(WizardTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.account.team_members.add(cls.contributor)
        cls.contact = make_contact(cls.account)
        cls.contract = make_contract(cls.account, owner=cls.owner)
        cls.opportunity = make_opportunity(cls.account, owner=cls.owner)
        make_opportunity_contact(cls.opportunity, cls.contact)
        cls.plan = make_plan(cls.account, owner=cls.owner)
        cls.plan_action = make_plan_action(cls.plan)
        cls.stage = Stage.objects.get(name="Proposal")
        cls.rule = make_rule()
        cls.notification = make_notification(cls.owner, cls.contract)
        cls.token, _ = ApiToken.issue(cls.owner, "Reporting script")
        cls.custom_field = make_custom_field("account", label="Region")
        cls.shared_filter = SavedFilter.objects.create(
            owner=cls.admin, name="Renewals this quarter", entity="contracts", is_shared=True,
            params={"status": ["active"]},
        )
        cls.personal_filter = SavedFilter.objects.create(
            owner=cls.owner, name="My big deals", entity="opportunities", params={"value_min": ["500"]},
        )
        cls.report_definition = ReportDefinition.objects.create(
            name="Pipeline by stage", entity="opportunity", group_by="stage", measures=["count"],
        )
        cls.admin_report = ReportDefinition.objects.create(
            name="Pipeline by owner", entity="opportunity", group_by="owner", measures=["count"],
            visibility=Visibility.ADMINISTRATORS,
        )
        cls.deleted_contract = make_contract(cls.account, owner=cls.owner)
        soft_delete(cls.deleted_contract, cls.owner)
        cls.subsidiary = make_account(
            "Acme Iberia", owner=cls.outsider, parent=cls.account, team=[cls.owner, cls.teammate, cls.contributor]
        )
        cls.parent_report = ReportDefinition.objects.create(
            name="Accounts by group", entity="account", group_by="parent", measures=["count"],
        )

    def setUp(self):
        super().setUp()
        self.users = {
            "anonymous": None,
            "admin": self.admin,
            "owner": self.owner,
            "teammate": self.teammate,
            "outsider": self.outsider,
            "contributor": self.contributor,
        }

    def make_fixtures(self) -> None:
        """Create the objects whose files a request may delete; rolling back the database does not restore files."""
        self.document = make_uploaded_document(self.account, "Signed contract.pdf")
        self.import_run = self.make_run(self.owner, "name\nGlobex\n")
        self.import_run.rejects_file.save("rejects.csv", ContentFile(b"name,error\nGlobex,invalid\n"))

    def url_for(self, name: str, params: list[str], case: Case | None = None) -> str:
        self.make_fixtures()
        values = {**PARAM_VALUES, **ROUTE_VALUES.get(name, {}), **dict(case.values if case else ())}
        kwargs = {}
        for param in params:
            if param in values:
                kwargs[param] = values[param]
                continue
            if param == "pk" and case and case.pk:
                fixture = case.pk
            elif param == "pk":
                prefix = next(prefix for prefix in PK_OBJECTS if name.startswith(prefix))
                fixture = PK_OBJECTS[prefix]
            else:
                fixture = PARAM_OBJECTS[param]
            kwargs[param] = getattr(self, fixture).pk
        if name == "favicon":
            return "/favicon.ico"

        url = reverse(name, kwargs=kwargs)
        query = case.query if case else ROUTE_QUERIES.get(name, "")
        return f"{url}?{query.format(account=self.account.pk)}" if query else url

    def request_as(self, role: str, url: str):
        self.client.logout()
        if self.users[role] is not None:
            self.login(self.users[role])
        with transaction.atomic():
            response = self.client.get(url)
            if response.status_code == 405:
                response = self.client.post(url)
            transaction.set_rollback(True)
        return response

    def check_url(self, url: str, kind: str, visibility: str, route: str) -> None:
        expected = KINDS[kind]
        expected = expected.get(visibility, expected[EVERYONE])
        for role in ROLES:
            with self.subTest(route=route, url=url, role=role, visibility=visibility):
                response = self.request_as(role, url)
                self.assertEqual(outcome(response), expected[role], f"{role} on {url}")
                if visibility == TEAM and role == "outsider":
                    # assertFalse, not assertNotIn, so that a failure names the URL without printing the whole page.
                    leaked = self.account.name in body_text(response)
                    self.assertFalse(leaked, f"the outsider sees {self.account.name} on {url}")

    def check_routes(self, visibility: str) -> None:
        self.set_account_visibility(visibility)
        # Routes missing from ROUTES fail test_every_route_is_classified, with their names.
        classified = {name: params for name, params in site_routes().items() if name in ROUTES}
        for name, params in sorted(classified.items()):
            self.check_url(self.url_for(name, params), ROUTES[name], visibility, name)
        for case in EXTRA_CASES:
            self.check_url(self.url_for(case.route, classified[case.route], case), case.kind, visibility, case.route)

    def test_every_route_is_classified(self):
        unknown = sorted(set(site_routes()) - set(ROUTES))

        self.assertFalse(
            unknown,
            f"{len(unknown)} routes have no expected access per role: {', '.join(unknown)}. Add each to "
            f"ROUTES in {__name__} with the kind of access it gives, so that every role is tested on it.",
        )

    def test_no_stale_entries(self):
        self.assertEqual(sorted(set(ROUTES) - set(site_routes())), [])

    def test_roles_with_everyone_visibility(self):
        self.check_routes(EVERYONE)

    def test_roles_with_team_visibility(self):
        self.check_routes(TEAM)
