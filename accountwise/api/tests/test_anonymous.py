"""Every API URL returns 401 to an anonymous request, never the site's redirect to the login page."""

from django.test import TestCase
from django.urls import reverse

from accountwise.api.urls import router


class AnonymousTests(TestCase):
    def test_every_api_url_is_401(self):
        # The router also adds each pattern with a format suffix; the first of each name is the plain one.
        patterns = {}
        for pattern in router.urls:
            patterns.setdefault(pattern.name, pattern)
        self.assertGreater(len(patterns), 10)

        for name, pattern in sorted(patterns.items()):
            kwargs = {key: "1" for key in pattern.pattern.regex.groupindex}
            url = reverse(f"api:v1:{name}", kwargs=kwargs)
            for method in ("get", "post", "delete"):
                with self.subTest(name=name, method=method):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 401)
