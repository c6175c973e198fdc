from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "accountwise.contracts"
    label = "contracts"
