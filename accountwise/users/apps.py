from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "accountwise.users"
    label = "users"

    def ready(self):
        # Connects the login signal that starts a session's sliding expiry.
        from accountwise.users import sessions  # noqa: F401
