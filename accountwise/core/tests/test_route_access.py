"""Every named URL of the site against every role, under both account visibility settings.

The test walks the URL resolver, so a new route fails it until its access is
added to ROUTES below. Arguments come from one set of fixtures, chosen by
parameter name. A GET that gets 405 is sent again as an empty POST, inside a
savepoint that is rolled back, so no request changes what the next one sees.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accountwise.api.models import ApiToken
from accountwise.core.models import AccountVisibility
from accountwise.documents.tests.support import make_uploaded_document
from accountwise.notifications.tests.factories import make_notification, make_rule
from accountwise.opportunities.models import Stage
from accountwise.test import (
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
    # Something that belongs to the owner as a person: a notification, an API token.
    "own": {
        EVERYONE: {**_SIGNED_IN, "admin": HIDDEN, "teammate": HIDDEN, "outsider": HIDDEN, "contributor": HIDDEN},
    },
    # Users, stages, renewal rules, organisation settings.
    "admin": {EVERYONE: {**dict.fromkeys(ROLES, DENIED), "anonymous": LOGIN, "admin": OK}},
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
    "api:schema": "api-schema",
    "api:docs": "signed-in",
    "api:redoc": "signed-in",
    "api:tokens": "signed-in",
    "api:token-revoke": "own",
}

# Which fixture a `pk` stands for: by route-name prefix, longest first, then by namespace.
PK_OBJECTS = {
    "accounts:contact-": "contact",
    "plans:action-": "plan_action",
    "notifications:rule-": "rule",
    "api:token-": "token",
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
PARAM_VALUES = {"file_format": "csv"}


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

    def url_for(self, name: str, params: list[str]) -> str:
        self.make_fixtures()
        kwargs = {}
        for param in params:
            if param in PARAM_VALUES:
                kwargs[param] = PARAM_VALUES[param]
                continue
            if param == "pk":
                prefix = next(prefix for prefix in PK_OBJECTS if name.startswith(prefix))
                fixture = PK_OBJECTS[prefix]
            else:
                fixture = PARAM_OBJECTS[param]
            kwargs[param] = getattr(self, fixture).pk
        if name == "favicon":
            return "/favicon.ico"
        return reverse(name, kwargs=kwargs)

    def request_as(self, role: str, url: str) -> str:
        self.client.logout()
        if self.users[role] is not None:
            self.login(self.users[role])
        with transaction.atomic():
            response = self.client.get(url)
            if response.status_code == 405:
                response = self.client.post(url)
            transaction.set_rollback(True)
        return outcome(response)

    def check_routes(self, visibility: str) -> None:
        self.set_account_visibility(visibility)
        # Routes missing from ROUTES fail test_every_route_is_classified, with their names.
        classified = {name: params for name, params in site_routes().items() if name in ROUTES}
        for name, params in sorted(classified.items()):
            expected = KINDS[ROUTES[name]]
            expected = expected.get(visibility, expected[EVERYONE])
            url = self.url_for(name, params)
            for role in ROLES:
                with self.subTest(route=name, role=role, visibility=visibility):
                    self.assertEqual(self.request_as(role, url), expected[role], f"{role} on {url}")

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
