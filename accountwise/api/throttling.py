from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accountwise.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """A rate limit of API_TOKEN_RATE requests for each API token. The browser session has none.

    The key is the token's random prefix, which, unlike a row id, is never reused.
    """

    scope = "api_token"

    def get_rate(self) -> str:
        # Read at request time, so a changed setting applies without re-importing this class.
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
