from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "accountwise.transfer"
    label = "transfer"
