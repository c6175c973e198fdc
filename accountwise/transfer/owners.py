"""Find the users named in owner columns, and create the missing ones on request."""

import re
import unicodedata

from django.contrib.auth import get_user_model

from accountwise.transfer.parsing import InvalidValue
from accountwise.users.models import Role


def owner_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class OwnerDirectory:
    """Users by username, e-mail address and full name, loaded in one query."""

    def __init__(self):
        self._users: dict[str, list] = {}
        self._usernames: set[str] = set()
        self.pending: dict[str, str] = {}

        for user in get_user_model().objects.all():
            self._usernames.add(user.username.casefold())
            for text in {user.username, user.email, user.get_full_name()}:
                if text:
                    self._users.setdefault(owner_key(text), []).append(user)

    def find(self, text: str):
        """Return the one user that text names, or None when no user matches.

        Raise InvalidValue when several users match, such as two people with the
        same full name.
        """
        matches = {user.pk: user for user in self._users.get(owner_key(text), [])}
        if len(matches) > 1:
            usernames = ", ".join(sorted(user.username for user in matches.values()))
            raise InvalidValue(f'"{text}" matches several users ({usernames}); write the username instead')
        return next(iter(matches.values()), None)

    def add_pending(self, text: str) -> None:
        """Remember an unknown owner to create later, keeping the first spelling seen."""
        self.pending.setdefault(owner_key(text), " ".join(text.split()))

    def create_pending(self, keys) -> list:
        """Create an account manager without a usable password for each pending owner key given.

        The new users cannot sign in until an administrator sets a password.
        Return them in the order given.
        """
        user_model = get_user_model()
        users = []
        for key in keys:
            user = user_model(role=Role.ACCOUNT_MANAGER, **self._user_fields(self.pending[key]))
            user.set_unusable_password()
            users.append(user)
        user_model.objects.bulk_create(users)

        for user in users:
            for text in {user.username, user.email, user.get_full_name()}:
                if text:
                    self._users.setdefault(owner_key(text), []).append(user)
        return users

    def _user_fields(self, text: str) -> dict:
        if "@" in text and " " not in text:
            local_part = text.split("@", 1)[0]
            return {"username": self._unique_username(local_part), "email": text}

        first_name, _, last_name = text.rpartition(" ")
        if not first_name:
            first_name, last_name = last_name, ""
        return {
            "username": self._unique_username(text),
            "first_name": first_name[:150],
            "last_name": last_name[:150],
        }

    def _unique_username(self, text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", ".", ascii_text.casefold()).strip(".")[:140] or "owner"
        username, suffix = base, 1
        while username in self._usernames:
            suffix += 1
            username = f"{base}{suffix}"
        self._usernames.add(username)
        return username
