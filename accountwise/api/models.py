import hashlib
import secrets

from django.conf import settings
from django.db import models

# A token reads "aw_<prefix>_<secret>". The prefix finds the row, and only a hash of the secret is stored.
TOKEN_TAG = "aw"
_PREFIX_BYTES = 6
_SECRET_BYTES = 32


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token that lets a script use the API as its user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with its full text, which is not stored and is shown once."""
        prefix = secrets.token_hex(_PREFIX_BYTES)
        secret = secrets.token_urlsafe(_SECRET_BYTES)
        token = cls.objects.create(user=user, name=name, prefix=prefix, secret_hash=hash_secret(secret))
        return token, f"{TOKEN_TAG}_{prefix}_{secret}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, hash_secret(secret))
