from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "accountwise.history"
    verbose_name = "History and deleted items"
