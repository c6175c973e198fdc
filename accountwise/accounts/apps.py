from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accountwise.accounts"
    label = "accounts"
