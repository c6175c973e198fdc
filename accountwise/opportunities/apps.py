from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "accountwise.opportunities"
    label = "opportunities"
