"""The OpenAPI schema: served, documented, and true to what the API does (checked by Schemathesis)."""

import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accountwise.api.models import ApiToken
from accountwise.test import BaseTestCase, make_account, make_contact, make_contract, make_opportunity, make_user
from accountwise.users.models import Role


class SchemaTests(BaseTestCase):
    def test_anonymous_gets_401(self):
        response = self.client.get(reverse("api:schema"))

        self.assertEqual(response.status_code, 401)

    def test_schema_lists_every_resource(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:schema"), {"format": "json"})

        paths = response.json()["paths"]
        for resource in ("accounts", "contacts", "contracts", "opportunities", "stages"):
            self.assertIn(f"/api/v1/{resource}/", paths)

    def test_schema_documents_stale_update(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:schema"), {"format": "json"})

        patch = response.json()["paths"]["/api/v1/opportunities/{id}/"]["patch"]
        self.assertIn("412", patch["responses"])
        self.assertIn("If-Match", [parameter["name"] for parameter in patch["parameters"]])

    def test_docs_page_uses_vendored_assets(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:docs"))

        self.assertContains(response, "/static/drf_spectacular_sidecar/swagger-ui-dist/")
        self.assertNotContains(response, "cdn.")
        self.assertNotContains(response, "https://")


def _schema_dict() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema_dict())
schema.app = get_wsgi_application()


@pytest.fixture
def api_headers(settings, tmp_path):
    """Return an administrator's token, after adding some data for the generated requests to find."""
    cache.clear()
    settings.API_TOKEN_RATE = "100000/hour"
    # An upload that finds the account below is stored here, not in DATA_DIR.
    settings.MEDIA_ROOT = tmp_path
    admin = make_user(role=Role.ADMINISTRATOR)
    account = make_account(owner=admin)
    make_contact(account)
    make_contract(account)
    make_opportunity(account)
    _, text = ApiToken.issue(admin, "Schemathesis")

    # As Django's test client does: the WSGI handler would otherwise close the
    # connection after each request, and with it the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {text}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_schema(case, api_headers):
    case.call_and_validate(headers=api_headers, checks=[not_a_server_error, response_schema_conformance])
