"""The client address that login protection counts failed logins against."""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address, read from X-Forwarded-For behind trusted proxies.

    Each trusted proxy appends the address it received the request from, so
    with ACCOUNTWISE_TRUSTED_PROXY_COUNT = N the client is the Nth entry from
    the right. Entries further left come from the client and may be forged.
    With no trusted proxy, or a header with fewer entries than N, the client
    is REMOTE_ADDR.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.ACCOUNTWISE_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",")] if forwarded else []
    if count == 0 or len(entries) < count:
        return remote_addr

    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        logger.warning(
            "X-Forwarded-For entry %r from %s is not an IP address, so the login counts against %s",
            entries[-count], remote_addr, remote_addr,
        )
        return remote_addr
