from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accountwise.core"
    label = "core"
