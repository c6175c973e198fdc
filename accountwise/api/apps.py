from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "accountwise.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular.
        from accountwise.api import schema  # noqa: F401
