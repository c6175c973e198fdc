"""Optimistic concurrency: an ETag per version of an object, checked against If-Match on writes."""

from rest_framework import status
from rest_framework.exceptions import APIException


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it. Fetch it again, then repeat your change."
    default_code = "precondition_failed"


def etag_of(obj) -> str:
    # updated_at changes on every save, to the microsecond, so it names the version.
    return f'"{obj.pk}-{int(obj.updated_at.timestamp() * 1_000_000)}"'


def check_if_match(request, obj) -> None:
    """Raise PreconditionFailed when If-Match names a version other than the stored one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if etag_of(obj) not in wanted:
        raise PreconditionFailed()
