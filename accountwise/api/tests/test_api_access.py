"""Every operation of the REST API against every role, under both account visibility settings.

The operations come from the OpenAPI schema, so a new endpoint or method fails
test_every_operation_is_classified until its access is added to OPERATIONS.
Each request runs inside a savepoint that is rolled back, so no write changes
what the next request sees. Writes send a valid body: the API validates the
body before it checks the account named in it, so an invalid one would hide a
missing permission check behind a 400. A body that names an account hidden
from the user is rejected with 400 as if the id did not exist.
"""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from accountwise.core.models import AccountVisibility
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.documents.tests.support import PDF, DocumentTestCase, make_uploaded_document
from accountwise.notifications.tests.factories import make_notification
from accountwise.opportunities.models import Stage
from accountwise.portfolio.models import SavedFilter
from accountwise.test import (
    make_contact,
    make_contract,
    make_opportunity,
    make_opportunity_contact,
    make_plan,
    make_plan_action,
)

OK, INVALID, DENIED, HIDDEN, UNAUTHENTICATED = "ok", "400", "403", "404", "401"
ROLES = ("anonymous", "admin", "owner", "teammate", "outsider", "contributor")
EVERYONE = AccountVisibility.EVERYONE
TEAM = AccountVisibility.TEAM

# Expected outcome per role for each kind of operation. The contributor is on the account's
# team, so that team-only visibility shows them the account and only their role stops changes.
_SIGNED_IN = {**dict.fromkeys(ROLES, OK), "anonymous": UNAUTHENTICATED}
KINDS = {
    # A list or total of account data. Under team-only visibility the outsider gets it without the account's rows.
    "list": {EVERYONE: _SIGNED_IN},
    # An account, or something on one, by id.
    "read": {EVERYONE: _SIGNED_IN, TEAM: {**_SIGNED_IN, "outsider": HIDDEN}},
    # A change to an account or to something on one, including adding something to it.
    "change": {
        EVERYONE: {**_SIGNED_IN, "outsider": DENIED, "contributor": DENIED},
        TEAM: {**_SIGNED_IN, "outsider": HIDDEN, "contributor": DENIED},
    },
    # Adding something to the account or plan named in the body. Under team-only visibility the outsider's
    # body names an account they may not see, which gets the 400 of an id that does not exist.
    "add": {
        EVERYONE: {**_SIGNED_IN, "outsider": DENIED, "contributor": DENIED},
        TEAM: {**_SIGNED_IN, "outsider": INVALID, "contributor": DENIED},
    },
    # Creating an account, which the creator then owns: not for contributors.
    "create-account": {EVERYONE: {**_SIGNED_IN, "contributor": DENIED}},
    # Stages, custom field definitions, the user's own notifications and saved filters.
    "signed-in": {EVERYONE: _SIGNED_IN},
    # Changes to stages, custom field definitions and shared saved filters.
    "admin": {EVERYONE: {**dict.fromkeys(ROLES, DENIED), "anonymous": UNAUTHENTICATED, "admin": OK}},
    # A notification of the account owner, which no other user may read.
    "own": {EVERYONE: {**dict.fromkeys(ROLES, HIDDEN), "anonymous": UNAUTHENTICATED, "owner": OK}},
}

OPERATIONS = {
    "accounts_list": "list",
    "accounts_create": "create-account",
    "accounts_retrieve": "read",
    "accounts_update": "change",
    "accounts_partial_update": "change",
    "accounts_archive_create": "change",
    "accounts_restore_create": "change",
    "contacts_list": "list",
    "contacts_create": "add",
    "contacts_retrieve": "read",
    "contacts_update": "change",
    "contacts_partial_update": "change",
    "contacts_destroy": "change",
    "contracts_list": "list",
    "contracts_create": "add",
    "contracts_retrieve": "read",
    "contracts_update": "change",
    "contracts_partial_update": "change",
    "contracts_totals_retrieve": "list",
    "custom_fields_list": "signed-in",
    "custom_fields_create": "admin",
    "custom_fields_retrieve": "signed-in",
    "custom_fields_update": "admin",
    "custom_fields_partial_update": "admin",
    "custom_fields_destroy": "admin",
    "documents_list": "list",
    "documents_create": "add",
    "documents_retrieve": "read",
    "documents_destroy": "change",
    "documents_download_retrieve": "read",
    "notifications_list": "signed-in",
    "notifications_retrieve": "own",
    "notifications_read_create": "own",
    "notifications_read_all_create": "signed-in",
    "opportunities_list": "list",
    "opportunities_create": "add",
    "opportunities_retrieve": "read",
    "opportunities_update": "change",
    "opportunities_partial_update": "change",
    "opportunities_destroy": "change",
    "opportunities_contacts_list": "read",
    "opportunities_contacts_create": "change",
    "opportunities_contacts_destroy": "change",
    "opportunities_contract_create": "change",
    "opportunities_totals_retrieve": "list",
    "plan_actions_list": "list",
    "plan_actions_create": "add",
    "plan_actions_retrieve": "read",
    "plan_actions_update": "change",
    "plan_actions_partial_update": "change",
    "plan_actions_destroy": "change",
    "plans_list": "list",
    "plans_create": "add",
    "plans_retrieve": "read",
    "plans_update": "change",
    "plans_partial_update": "change",
    "plans_destroy": "change",
    # Saved filters are a user's own or shared. The `{id}` ones name a shared filter, which only administrators change.
    "saved_filters_list": "signed-in",
    "saved_filters_create": "signed-in",
    "saved_filters_retrieve": "signed-in",
    "saved_filters_update": "admin",
    "saved_filters_partial_update": "admin",
    "saved_filters_destroy": "admin",
    "stages_list": "signed-in",
    "stages_create": "admin",
    "stages_retrieve": "signed-in",
    "stages_update": "admin",
    "stages_partial_update": "admin",
    "stages_destroy": "admin",
}

# Which fixture `{id}` is, by the path's first segment after /api/v1/.
ID_OBJECTS = {
    "accounts": "account",
    "contacts": "contact",
    "contracts": "contract",
    "custom-fields": "custom_field",
    "documents": "document",
    "notifications": "notification",
    "opportunities": "opportunity",
    "plan-actions": "plan_action",
    "plans": "plan",
    "saved-filters": "shared_filter",
    "stages": "stage",
}


def api_operations() -> dict[str, tuple[str, str]]:
    """Return (HTTP method, path template) by operation id, for every operation in the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def outcome(response) -> str:
    if response.status_code in (400, 401, 403, 404):
        return str(response.status_code)
    # 409 is a state the API rejected, so the request got past the permission check.
    assert response.status_code < 500, response.status_code
    return OK


def row_count(data) -> int:
    """Return how many rows a list or a total covers."""
    if "results" in data:
        return len(data["results"])
    return data["count"]


class ApiAccessTests(DocumentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.account.team_members.add(cls.contributor)
        cls.contact = make_contact(cls.account, "Smith")
        cls.contract = make_contract(cls.account, owner=cls.owner)
        cls.opportunity = make_opportunity(cls.account, owner=cls.owner)
        make_opportunity_contact(cls.opportunity, cls.contact)
        cls.other_contact = make_contact(cls.account, "Jones")
        cls.plan = make_plan(cls.account, owner=cls.owner)
        cls.plan_action = make_plan_action(cls.plan)
        # A stage no opportunity uses, so that an administrator may delete it.
        cls.stage = Stage.objects.get(name="Negotiation")
        cls.notification = make_notification(cls.owner, cls.contract)
        cls.custom_field = make_custom_field("account", label="Region")
        cls.shared_filter = SavedFilter.objects.create(
            owner=cls.admin, name="Renewals this quarter", entity="contracts", is_shared=True,
            params={"status": ["active"]},
        )

    def setUp(self):
        super().setUp()
        # The file goes to the temporary media folder that DocumentTestCase.setUp sets up.
        self.document = make_uploaded_document(self.account, "Signed contract.pdf")
        self.users = {
            "anonymous": None,
            "admin": self.admin,
            "owner": self.owner,
            "teammate": self.teammate,
            "outsider": self.outsider,
            "contributor": self.contributor,
        }

    def body_for(self, operation_id: str):
        """Return a valid body for a write, as JSON data or, for an upload, multipart data."""
        account, close_date = self.account.pk, datetime.date(2027, 6, 30).isoformat()
        opportunity = {"account": account, "name": "Renewal", "stage": self.opportunity.stage_id, "value": "500.00",
                       "close_date": close_date}
        bodies = {
            "accounts_create": {"name": "Initech"},
            "accounts_update": {"name": self.account.name},
            "contacts_create": {"account": account, "last_name": "Brown"},
            "contacts_update": {"account": account, "last_name": "Smith"},
            "contracts_create": {"account": account, "name": "Support"},
            "contracts_update": {"account": account, "name": "Support"},
            "custom_fields_create": {"entity": "account", "label": "Sector", "field_type": "text"},
            "custom_fields_update": {"entity": "account", "label": "Region", "field_type": "text"},
            "opportunities_create": opportunity,
            "opportunities_update": opportunity,
            "opportunities_contacts_create": {"contact": self.other_contact.pk, "buying_role": "champion"},
            "plan_actions_create": {"plan": self.plan.pk, "title": "Call the buyer"},
            "plan_actions_update": {"plan": self.plan.pk, "title": "Call the buyer"},
            "plans_create": {"account": account, "name": "Growth", "objective": "Double the licences."},
            "plans_update": {"account": account, "name": "Growth", "objective": "Double the licences."},
            "saved_filters_create": {"name": "Mine", "entity": "contracts", "params": {"status": ["active"]}},
            "saved_filters_update": {"name": "Renewals", "entity": "contracts", "params": {"status": ["active"]}},
            "stages_create": {"name": "Demo", "probability": 30},
            "stages_update": {"name": "Negotiation", "probability": 75},
        }
        if operation_id == "documents_create":
            return {"account": account, "kind": "upload", "file": SimpleUploadedFile("Offer.pdf", PDF)}
        return bodies.get(operation_id, {})

    def url_for(self, path: str) -> str:
        resource = path.removeprefix("/api/v1/").split("/")[0]
        if "{id}" in path:
            path = path.replace("{id}", str(getattr(self, ID_OBJECTS[resource]).pk))
        if path.endswith("/contacts/"):
            # DELETE on an opportunity's contacts names the contact to remove in the query.
            path += f"?contact={self.contact.pk}"
        return path

    def request_as(self, role: str, method: str, url: str, operation_id: str):
        self.client.logout()
        if self.users[role] is not None:
            self.login(self.users[role])
        body = self.body_for(operation_id)
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url)
            elif operation_id == "documents_create":
                response = self.client.post(url, body)
            else:
                response = self.client.generic(method, url, data=json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        return response

    def check_operations(self, visibility: str) -> None:
        self.set_account_visibility(visibility)
        # Operations missing from OPERATIONS fail test_every_operation_is_classified, with their ids.
        operations = {key: value for key, value in api_operations().items() if key in OPERATIONS}
        for operation_id, (method, path) in sorted(operations.items()):
            kind = OPERATIONS[operation_id]
            expected = KINDS[kind].get(visibility, KINDS[kind][EVERYONE])
            url = self.url_for(path)
            for role in ROLES:
                with self.subTest(operation=operation_id, role=role, visibility=visibility):
                    response = self.request_as(role, method, url, operation_id)
                    self.assertEqual(outcome(response), expected[role], f"{role} on {method} {url}")
                    if kind == "list" and role != "anonymous":
                        self.check_rows(response, role, visibility, f"{method} {url}")

    def check_rows(self, response, role: str, visibility: str, request: str) -> None:
        """Check that a list shows the account's rows exactly to the users who may view the account."""
        rows = row_count(response.json())
        if visibility == TEAM and role == "outsider":
            self.assertEqual(rows, 0, f"the outsider sees {rows} rows of another team's account on {request}")
        else:
            self.assertGreater(rows, 0, f"{role} sees no rows on {request}")

    def test_every_operation_is_classified(self):
        unknown = sorted(set(api_operations()) - set(OPERATIONS))

        self.assertFalse(
            unknown,
            f"{len(unknown)} API operations have no expected access per role: {', '.join(unknown)}. Add each "
            f"to OPERATIONS in {__name__} with the kind of access it gives, so that every role is tested on it.",
        )

    def test_no_stale_entries(self):
        self.assertEqual(sorted(set(OPERATIONS) - set(api_operations())), [])

    def test_roles_with_everyone_visibility(self):
        self.check_operations(EVERYONE)

    def test_roles_with_team_visibility(self):
        self.check_operations(TEAM)
