"""Check document links and recognise the service they point to from the host name."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from accountwise.documents.models import LinkProvider

MAX_LINK_LENGTH = 2000
KNOWN_PROVIDERS_TEXT = "Google Drive, SharePoint or OneDrive"

# Hosts matched exactly.
_EXACT_HOSTS = {
    "drive.google.com": LinkProvider.GOOGLE_DRIVE,
    "docs.google.com": LinkProvider.GOOGLE_DRIVE,
    "onedrive.live.com": LinkProvider.ONEDRIVE,
    "1drv.ms": LinkProvider.ONEDRIVE,
}
# Host suffixes after a company's own name, checked in this order: a OneDrive
# for Business host (contoso-my.sharepoint.com) also ends in .sharepoint.com.
_HOST_SUFFIXES = [
    ("-my.sharepoint.com", LinkProvider.ONEDRIVE),
    (".sharepoint.com", LinkProvider.SHAREPOINT),
]

_https_only = URLValidator(schemes=["https"])


def recognise_provider(url: str) -> LinkProvider:
    """Return the service a link points to, or OTHER for any other host."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host in _EXACT_HOSTS:
        return _EXACT_HOSTS[host]
    for suffix, provider in _HOST_SUFFIXES:
        # The company part before the suffix must be a name of its own, not empty.
        if host.endswith(suffix) and len(host) > len(suffix) and "." not in host[: -len(suffix)]:
            return provider
    return LinkProvider.OTHER


def validate_link(url: str, *, known_providers_only: bool) -> LinkProvider:
    """Return the provider of a valid document link; raise ValidationError naming the fix otherwise."""
    if len(url) > MAX_LINK_LENGTH:
        raise ValidationError(
            f"The link is {len(url)} characters long; links can be at most {MAX_LINK_LENGTH}. "
            "Use the service's share link, which is shorter."
        )
    if not url.lower().startswith("https://"):
        raise ValidationError(
            "Enter a link that starts with https://. Links over plain http or other "
            "protocols are not accepted, because they are not encrypted."
        )
    try:
        _https_only(url)
    except ValidationError:
        raise ValidationError(
            "Enter a complete web address, such as https://drive.google.com/file/d/…"
        ) from None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(
            "Remove the user name or password from the link; share links do not need them."
        )

    provider = recognise_provider(url)
    if provider == LinkProvider.OTHER and known_providers_only:
        raise ValidationError(
            f"Your administrator allows links to {KNOWN_PROVIDERS_TEXT} only, and "
            f"{parts.hostname} is none of them. Link the document from one of those "
            "services, or upload the file."
        )
    return provider
