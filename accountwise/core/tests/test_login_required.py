"""Every URL pattern must send an anonymous visitor to the login page."""

from django.conf import settings
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

_ARGUMENT_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}
_PUBLIC = {"users:login"}
# JSON endpoints return 401 to an anonymous request instead of redirecting it.
_API_PREFIXES = ("api:v1:", "api:schema")


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _sample_url(name: str, pattern: URLPattern) -> str:
    converters = pattern.pattern.converters
    kwargs = {
        key: _ARGUMENT_VALUES.get(type(converter).__name__.removesuffix("Converter").lower(), "1")
        for key, converter in converters.items()
    }
    # Regular-expression routes, such as the API router's, have groups but no converters.
    for group in pattern.pattern.regex.groupindex:
        kwargs.setdefault(group, "json" if group == "format" else "1")
    return reverse(name, kwargs=kwargs)


class LoginRequiredTests(TestCase):
    def test_every_url_redirects_anonymous_to_login(self):
        named = dict(_walk(get_resolver().url_patterns))
        self.assertGreater(len(named), 10)

        for name, pattern in sorted(named.items()):
            if name in _PUBLIC:
                continue
            url = _sample_url(name, pattern)
            if name.startswith(_API_PREFIXES):
                for method in ("get", "post", "patch", "delete"):
                    with self.subTest(name=name, method=method):
                        response = getattr(self.client, method)(url)
                        self.assertIn(response.status_code, (401, 403))
                continue
            for method in ("get", "post"):
                with self.subTest(name=name, method=method):
                    response = getattr(self.client, method)(url)
                    login = reverse(settings.LOGIN_URL)
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(response["Location"], f"{login}?next={url}")
