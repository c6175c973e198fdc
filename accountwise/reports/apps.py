from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "accountwise.reports"
    label = "reports"
