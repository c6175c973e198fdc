from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "accountwise.plans"
    label = "plans"
