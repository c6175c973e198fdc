from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "accountwise.customfields"
    label = "customfields"
    verbose_name = "Custom fields"
