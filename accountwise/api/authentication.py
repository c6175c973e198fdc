"""DRF authentication by personal API token: `Authorization: Bearer aw_<prefix>_<secret>`."""

import datetime

from django.utils import timezone
from rest_framework import authentication, exceptions

from accountwise.api.models import TOKEN_TAG, ApiToken

# Recording every use would write on every request, so the time is updated at most once a minute.
_LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer <token>.")

        tag, _, rest = header[1].partition("_")
        prefix, _, secret = rest.partition("_")
        token = None
        if tag == TOKEN_TAG and prefix and secret:
            token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
        if token is None or not token.matches(secret) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked API token. Create a new one under API tokens in the user menu.")

        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
