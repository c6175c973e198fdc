"""Sliding session expiry: a session ends after SESSION_COOKIE_AGE seconds without a request.

Saving the session on every request would write to the database on every page,
so the session is saved again only once SESSION_REFRESH_SECONDS have passed
since the last save. A session may therefore end up to that many seconds
before SESSION_COOKIE_AGE of inactivity.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LAST_REFRESH_KEY = "accountwise_session_refreshed_at"


def _mark_refreshed(session) -> None:
    session[LAST_REFRESH_KEY] = int(time.time())


@receiver(user_logged_in)
def _start_sliding_expiry(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _mark_refreshed(request.session)


class SlidingSessionMiddleware:
    """Extend a signed-in user's session on activity; place it after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)

        session = getattr(request, "session", None)
        if session is None or session.is_empty() or LAST_REFRESH_KEY not in session:
            return response
        if time.time() - session[LAST_REFRESH_KEY] >= settings.SESSION_REFRESH_SECONDS:
            # Changing the session makes SessionMiddleware save it with a new expiry and resend the cookie.
            _mark_refreshed(session)
        return response
