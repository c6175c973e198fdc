from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "accountwise.portfolio"
    label = "portfolio"
