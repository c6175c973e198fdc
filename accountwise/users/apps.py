from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "accountwise.users"
    label = "users"
