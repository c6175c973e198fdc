from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "accountwise.customfields"
    label = "customfields"
    verbose_name = "Custom fields"

    def ready(self):
        # Connects the signals that keep the per-request cache of definitions.
        from accountwise.customfields import definitions  # noqa: F401
