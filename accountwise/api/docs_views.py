"""The Redoc API documentation page, which loads nothing from other hosts."""

import functools
from pathlib import Path

import drf_spectacular_sidecar
from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET
from drf_spectacular.views import SpectacularRedocView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# Redoc 2.5.4 loads Redocly's logo from this address for the "API docs by Redocly" link at the foot of
# the side menu, and has no option to leave it out. An empty data: URL fails to load, so Redoc hides the image.
REDOCLY_LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg"

# Redoc builds its search index in a web worker that it starts from a blob: URL.
redoc_page = csp_update({"worker-src": [SELF, "blob:"]})(
    SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
)


@functools.cache
def _redoc_bundle() -> str:
    path = finders.find(REDOC_BUNDLE)
    return Path(path).read_text(encoding="utf-8").replace(REDOCLY_LOGO_URL, "data:,")


@require_GET
@cache_control(private=True, max_age=24 * 3600)
@etag(lambda request: drf_spectacular_sidecar.__version__)
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """Serve the Redoc script of drf-spectacular-sidecar, without the logo it would fetch from Redocly's CDN."""
    return HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
