from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ACCOUNT_MANAGER = "account_manager", "Account manager"
    CONTRIBUTOR = "contributor", "Contributor (read-only)"


class AccountwiseUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser administers Accountwise, so the UI shows the administrator role.
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a key account manager, a leader or an administrator."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ACCOUNT_MANAGER)

    objects = AccountwiseUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == Role.ADMINISTRATOR or self.is_superuser)

    @property
    def is_contributor(self) -> bool:
        """Whether the user only reads: a contributor changes no customer data and imports nothing."""
        return self.role == Role.CONTRIBUTOR and not self.is_administrator
